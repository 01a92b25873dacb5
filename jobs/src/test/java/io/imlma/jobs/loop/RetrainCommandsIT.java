package io.imlma.jobs.loop;

import static io.imlma.jobs.kafka.TestTopics.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imlma.common.config.Settings;
import io.imlma.common.integrity.IntegrityStore;
import io.imlma.common.integrity.PartitionGranularity;
import io.imlma.common.integrity.SealedSnapshot;
import io.imlma.common.integrity.SnapshotManifest;
import io.imlma.common.json.Json;
import io.imlma.common.kafka.KafkaJsonProducer;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.RetrainCommand;
import io.imlma.common.types.RetrainReason;
import io.imlma.common.types.RetrainRequest;
import io.imlma.jobs.MeterPipelineJob;
import io.imlma.jobs.connect.KafkaConfig;
import io.imlma.jobs.kafka.RunningJob;
import io.imlma.jobs.kafka.TestTopics;
import io.imlma.jobs.launch.LauncherConfig;
import io.imlma.jobs.pipeline.JobEnvironment;
import io.imlma.jobs.pipeline.PipelineConfig;
import io.imlma.jobs.retrain.RetrainConfig;
import io.imlma.ml.eval.Metrics;
import io.imlma.ml.horizon.HorizonSpec;
import io.imlma.ml.horizon.ModelArtifact;
import io.imlma.ml.horizon.PersistenceModel;
import io.imlma.registry.ModelStore;
import io.imlma.registry.ModelVersion;
import io.imlma.registry.NewVersion;
import io.imlma.registry.VersionMetrics;
import io.imlma.registry.jdbc.JdbcModelRegistry;
import io.imlma.registry.jdbc.RegistryDataSource;
import io.imlma.testkit.KafkaBroker;
import io.imlma.testkit.KafkaBrokerExtension;
import io.imlma.testkit.KafkaRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production graph ({@link MeterPipelineJob#wireKafka}) on a MiniCluster against a real broker closes both
 * request paths through the retrain-commands topic: a meter whose level jumps away from the registry champion's
 * training data (the drift reference the job builds from its snapshot range at start) makes the drift monitor
 * request a retraining, which the job writes to the topic as a DRIFT command and its trigger reads back and turns into a DRIFT
 * retrain request; later, an operator's command published as the API publishes it (the same record and producer) (during the trigger's minimum
 * interval, which only an operator's request bypasses) becomes a MANUAL request. A malformed command is skipped.
 * The launcher writes Kubernetes Job files, so no training runs.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RetrainCommandsIT {
    private static final String MODEL = "load-forecast";
    private static final String METER = "M";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    /** Intervals at level 10/11 before the jump, as in the champion's training data (the drift reference). */
    private static final int STEADY = 50;
    /** Two drift windows (8): one of them lies wholly after the jump, whatever the windows' alignment. */
    private static final int SHIFTED = 16;
    private static final int LATER = 14;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path dir;

    @Test
    void driftAndOperatorCommandsReachTheTriggerThroughTheTopic(KafkaBroker kafka,
            @InjectClusterClient RestClusterClient<?> rest) throws Exception {
        KafkaConfig topics = TestTopics.create(kafka, "retrain-commands-it", 1);
        String commandsTopic = topics.retrainCommandsTopic();
        String requestsTopic = topics.retrainRequestsTopic();
        Map<String, String> s = new HashMap<>();
        s.put(PipelineConfig.CHECKPOINT_DIR.key(), dir.resolve("checkpoints").toUri().toString());
        s.put(PipelineConfig.CHECKPOINT_INTERVAL.key(), "300ms");
        s.put(PipelineConfig.IDLENESS.key(), "0");
        s.put(PipelineConfig.WARM_UP_INTERVALS.key(), "2");
        s.put("snapshot.path", dir.resolve("snapshots").toUri().toString());
        s.put("snapshot.backup-path", dir.resolve("snapshots-backup").toUri().toString());
        s.put("snapshot.partition", "hourly");
        s.put("model.store.path", dir.resolve("models").toUri().toString());
        s.put("model.store.backup-path", dir.resolve("models-backup").toUri().toString());
        s.put(RegistryDataSource.JDBC_URL.key(), RegistryDataSource.h2File(dir.resolve("registry").toAbsolutePath()));
        // only commands request: volume never due, no schedule; a long interval that only operators bypass
        s.put("trigger.min-initial-rows", "1000000000");
        s.put("trigger.schedule.enabled", "false");
        s.put("trigger.min-interval", "30d");
        s.put("monitor.drift.window", "8");
        s.put("monitor.drift.reference-size", "8");
        s.put("monitor.drift.raise-after", "1");
        s.put(LauncherConfig.MODE.key(), "kubernetes");
        s.put(LauncherConfig.K8S_OUTPUT_DIR.key(), dir.resolve("k8s-jobs").toString());
        Settings settings = new Settings(s);
        PipelineConfig config = PipelineConfig.from(settings);
        championTrainedOnTheSteadyLevel(settings);

        StreamExecutionEnvironment env = JobEnvironment.configure(
                StreamExecutionEnvironment.getExecutionEnvironment(), config);
        env.setParallelism(1);
        MeterPipelineJob.kafka(env, config, topics, settings);

        try (RunningJob job = RunningJob.submit(env, "retrain-commands-it", rest);
                KafkaJsonProducer operator = new KafkaJsonProducer(kafka.bootstrapServers())) {
            KafkaRecords.produce(kafka.bootstrapServers(), topics.readingsTopic(), readings(0, STEADY, 10));
            job.awaitFurtherCheckpoints(2, TIMEOUT); // the steady hours committed before the jump
            KafkaRecords.produce(kafka.bootstrapServers(), topics.readingsTopic(),
                    readings(STEADY, STEADY + SHIFTED, 50));

            io.imlma.common.types.RetrainCommand driftCommand = Json.read(KafkaRecords.values(
                    KafkaRecords.readCommitted(kafka.bootstrapServers(), commandsTopic, 1, TIMEOUT)).get(0),
                    io.imlma.common.types.RetrainCommand.class);
            assertThat(driftCommand.reason()).isEqualTo(RetrainReason.DRIFT);
            assertThat(driftCommand.modelName()).isEqualTo(MODEL);
            assertThat(driftCommand.requestedAt()).isGreaterThan(TestTopics.T0 + STEADY * TestTopics.INTERVAL);

            RetrainRequest drift = requests(kafka, requestsTopic, 1).get(0);
            assertThat(drift.reason()).as("the drift command read back by the trigger").isEqualTo(RetrainReason.DRIFT);
            assertThat(drift.modelName()).isEqualTo(MODEL);
            assertThat(drift.deltaD()).isPositive();

            long manifests = manifests();
            KafkaRecords.produce(kafka.bootstrapServers(), topics.readingsTopic(),
                    readings(STEADY + SHIFTED, STEADY + SHIFTED + LATER, 50));
            awaitMoreManifests(manifests);
            KafkaRecords.produce(kafka.bootstrapServers(), commandsTopic, List.of("{\"modelName\": ", "[]"));
            operator.send(commandsTopic, MODEL, RetrainCommand.manual(MODEL, "bob", Instant.now().toEpochMilli()));

            List<RetrainRequest> requests = requests(kafka, requestsTopic, 2);
            assertThat(requests).extracting(RetrainRequest::reason)
                    .containsExactly(RetrainReason.DRIFT, RetrainReason.MANUAL);
            RetrainRequest manual = requests.get(1);
            assertThat(manual.dataTo()).isGreaterThan(drift.dataTo());
            assertThat(manual.d0()).as("counted on top of the drift request's data").isEqualTo(drift.d0() + drift.deltaD());
            assertThat(manual.deltaD()).isPositive();
            assertThat(manual.requestedAt()).as("within the 30 days after the drift request")
                    .isLessThan(drift.requestedAt() + Duration.ofDays(30).toMillis());
        }
    }

    /**
     * Champion v1, trained on two hours before the readings whose z-scores alternate as the steady level's do: the
     * drift monitor's reference, read back from the snapshot as for any champion.
     */
    private void championTrainedOnTheSteadyLevel(Settings settings) throws IOException {
        long from = TestTopics.T0 - Duration.ofHours(2).toMillis();
        List<FeatureRow> rows = new ArrayList<>();
        for (long t = from; t < TestTopics.T0; t += TestTopics.INTERVAL) {
            double z = (t / TestTopics.INTERVAL) % 2 == 0 ? -1 : 1;
            rows.add(new FeatureRow(METER, t, t + TestTopics.INTERVAL, 10.5 + z / 2, 10, 11, 1, z, false, false, t));
        }
        SealedSnapshot.write(new IntegrityStore(dir.resolve("snapshots").toUri(),
                dir.resolve("snapshots-backup").toUri()), rows, PartitionGranularity.HOURLY);
        ModelStore store = new ModelStore(new IntegrityStore(dir.resolve("models").toUri(),
                dir.resolve("models-backup").toUri()), Clock.systemUTC(), alarm -> { });
        String path = ModelStore.relativePath(MODEL, 1);
        String sha = store.write(path, new ModelArtifact(ModelArtifact.FORMAT_VERSION, MODEL, "persistence",
                Map.of(), new Metrics(8, 0.1, 0.2, 0.9), 0.1, from, TestTopics.T0, 0L,
                new PersistenceModel(HorizonSpec.dayAhead())));
        try (JdbcModelRegistry registry = JdbcModelRegistry.open(settings, store)) {
            ModelVersion v1 = registry.register(new NewVersion(MODEL, "run-1", null, null, null, "linear", Map.of(),
                    new VersionMetrics(0.1, 0.2, 0.9), path, sha, List.of()));
            registry.promote(MODEL, v1.version(), "test", "the steady level");
        }
    }

    /** One reading of the meter per interval {@code from} ≤ k &lt; {@code to}, alternating level and level + 1. */
    private static List<String> readings(int from, int to, int level) {
        List<String> readings = new ArrayList<>();
        for (int k = from; k < to; k++) {
            readings.add(reading(METER, 15L * k + 1, Integer.toString(level + k % 2)));
        }
        return readings;
    }

    private static List<RetrainRequest> requests(KafkaBroker kafka, String topic, int count) {
        return KafkaRecords.values(KafkaRecords.readCommitted(kafka.bootstrapServers(), topic, count, TIMEOUT))
                .stream().map(json -> Json.read(json, RetrainRequest.class)).toList();
    }

    /** Committed snapshot partitions so far. */
    private long manifests() throws IOException {
        Path snapshots = dir.resolve("snapshots");
        if (!Files.isDirectory(snapshots)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(snapshots)) {
            return files.filter(f -> f.getFileName().toString().equals(SnapshotManifest.FILE_NAME)).count();
        }
    }

    /** Waits until a partition of the later readings is committed, so an operator's request finds new data. */
    private void awaitMoreManifests(long before) {
        await("a new snapshot partition").atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(this::manifests, committed -> committed > before);
    }
}
