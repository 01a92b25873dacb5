package io.imlma.jobs.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.imlma.common.config.Settings;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.DriftReference;
import io.imlma.common.types.Prediction;
import io.imlma.common.types.RetrainReason;
import io.imlma.common.types.RetrainRequest;
import io.imlma.jobs.CollectingSink;
import io.imlma.jobs.MeterPipelineJob;
import io.imlma.jobs.connect.InProcessQueueSource;
import io.imlma.jobs.launch.LaunchOutcome;
import io.imlma.jobs.pipeline.JobEnvironment;
import io.imlma.jobs.pipeline.MeterPipeline;
import io.imlma.jobs.pipeline.PipelineConfig;
import io.imlma.jobs.pipeline.PipelineOutputs;
import io.imlma.ml.data.BundledData;
import io.imlma.registry.AlarmEpisode;
import io.imlma.registry.ModelVersion;
import io.imlma.registry.jdbc.JdbcModelRegistry;
import io.imlma.registry.jdbc.RegistryDataSource;
import io.imlma.testkit.EttFixture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.time.Deadline;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The closed loop on a MiniCluster with file:// snapshots and models and an H2 registry: nine days of ETTm1 (all
 * seven channels) are replayed, the trigger fires after eight days of committed snapshots, the local launcher runs
 * RetrainJob on the same cluster, which registers and promotes v1; the streaming scorer picks it up, and the next
 * three days are scored with it. Alarms raised on the way are in the registry's alarm table.
 */
class ModelLoopIT {
    private static final String MODEL = "load-forecast";
    private static final int INTERVALS_PER_DAY = 96;
    /** Snapshot days of the seven channels that make the first retrain due. */
    private static final int TRIGGER_DAYS = 8;
    private static final int FIRST_DAYS = 9;
    private static final int ALL_DAYS = 12;
    private static final Duration DEADLINE = Duration.ofMinutes(4);

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @TempDir
    Path dir;

    @Test
    void retrainsPromotesAndServesTheNewChampionWithoutRestart() throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put(PipelineConfig.CHECKPOINT_DIR.key(), dir.resolve("checkpoints").toUri().toString());
        s.put(PipelineConfig.CHECKPOINT_INTERVAL.key(), "1s");
        s.put(PipelineConfig.OUT_OF_ORDERNESS.key(), "1min");
        s.put("snapshot.path", dir.resolve("snapshots").toUri().toString());
        s.put("snapshot.backup-path", dir.resolve("snapshots-backup").toUri().toString());
        s.put("model.store.path", dir.resolve("models").toUri().toString());
        s.put("model.store.backup-path", dir.resolve("models-backup").toUri().toString());
        s.put(RegistryDataSource.JDBC_URL.key(), RegistryDataSource.h2File(dir.resolve("registry").toAbsolutePath()));
        s.put("trigger.min-initial-rows", Integer.toString(7 * TRIGGER_DAYS * INTERVALS_PER_DAY));
        s.put("trigger.theta", "1.0");
        s.put("trigger.schedule.enabled", "false");
        s.put("launcher.mode", "local");
        s.put("launcher.parallelism", "2");
        // the default day-ahead shape (H = 96 from L = 336): 8 days give each meter 106 training windows
        s.put("training.min-windows-per-meter", "60");
        s.put("tuning.trials", "2");
        s.put("tuning.round-size", "2");
        s.put("tuning.patience", "0");
        s.put("monitor.latency.event-budget", "0");
        Settings settings = new Settings(s);
        PipelineConfig config = PipelineConfig.from(settings);

        String queue = "loop-it-lines-" + System.nanoTime();
        StreamExecutionEnvironment env = JobEnvironment.configure(
                StreamExecutionEnvironment.getExecutionEnvironment(), config);
        env.setParallelism(2);
        DataStream<String> lines = env.addSource(InProcessQueueSource.<String>reading(queue), Types.STRING)
                .name("ett lines").uid("ett-lines").setParallelism(1);
        PipelineOutputs pipeline = MeterPipeline.fromEttLines(config, lines, "ETTm1", 0);
        ModelLoop.Outputs loop = ModelLoop.attach(env, pipeline, null, null, settings);
        loop.predictions().sinkTo(CollectingSink.named(queue + "-predictions")).name("predictions").uid("predictions");
        loop.launches().sinkTo(CollectingSink.named(queue + "-launches")).name("launches").uid("launches");
        loop.retrainRequests().sinkTo(CollectingSink.named(queue + "-requests")).name("requests").uid("requests");
        loop.alarms().sinkTo(CollectingSink.named(queue + "-alarms")).name("alarms").uid("alarms");
        loop.driftReferences().sinkTo(CollectingSink.named(queue + "-references")).name("references")
                .uid("references");

        List<String> ett = EttFixture.lines(ALL_DAYS * INTERVALS_PER_DAY);
        JobClient job = env.executeAsync("model-loop-it");
        Deadline deadline = Deadline.fromNow(DEADLINE);
        try (JdbcModelRegistry registry = JdbcModelRegistry.open(settings, (path, sha) -> { })) {
            ett.subList(0, 1 + FIRST_DAYS * INTERVALS_PER_DAY).forEach(line -> InProcessQueueSource.offer(queue, line));

            await(deadline, "v1 promoted").until(() -> registry.champion(MODEL).isPresent());
            List<RetrainRequest> requests = CollectingSink.collected(queue + "-requests");
            assertThat(requests).isNotEmpty().first().satisfies(r -> {
                assertThat(r.reason()).isEqualTo(RetrainReason.VOLUME);
                assertThat(r.d0()).isZero();
                assertThat(r.deltaD()).isGreaterThanOrEqualTo(7L * TRIGGER_DAYS * INTERVALS_PER_DAY);
            });
            await(deadline, "launch outcome").until(() -> !CollectingSink.<LaunchOutcome>collected(queue + "-launches")
                    .isEmpty());
            assertThat(CollectingSink.<LaunchOutcome>collected(queue + "-launches")).first().satisfies(o -> {
                assertThat(o.requestId()).isEqualTo(requests.get(0).requestId());
                assertThat(o.status()).as(o.message()).isEqualTo(LaunchOutcome.Status.SUCCEEDED);
            });
            ModelVersion v1 = registry.champion(MODEL).orElseThrow();
            assertThat(v1.version()).isEqualTo(1);
            assertThat(v1.trainingRun()).isEqualTo(requests.get(0).requestId());

            // the promotion published v1's training data as the drift reference of every channel
            await(deadline, "drift references of v1").until(() -> CollectingSink
                    .<DriftReference>collected(queue + "-references").size() == 7);
            assertThat(CollectingSink.<DriftReference>collected(queue + "-references")).allSatisfy(r -> {
                assertThat(r.modelName()).isEqualTo(MODEL);
                assertThat(r.modelVersion()).isEqualTo(1);
                assertThat(r.feature()).isEqualTo("standardized");
                assertThat(r.sortedSample()).hasSizeGreaterThan(96).isSorted();
            }).extracting(DriftReference::meterId).doesNotHaveDuplicates().contains("ETTm1/HUFL", "ETTm1/OT");

            // the rest of the data reaches a scorer that has swapped to v1 in the running job
            ett.subList(1 + FIRST_DAYS * INTERVALS_PER_DAY, ett.size()).forEach(line -> InProcessQueueSource.offer(queue, line));
            await(deadline, "predictions of v1 for every channel").until(() -> CollectingSink
                    .<Prediction>collected(queue + "-predictions").stream()
                    .filter(p -> p.modelVersion() == 1).map(Prediction::meterId).distinct().count() == 7);
            List<Prediction> predictions = CollectingSink.collected(queue + "-predictions");
            assertThat(predictions).allSatisfy(p -> {
                assertThat(p.modelName()).isEqualTo(MODEL);
                assertThat(p.modelVersion()).isGreaterThanOrEqualTo(1);
                assertThat(p.forecast()).hasSize(96);
                assertThat(java.util.Arrays.stream(p.forecast()).allMatch(Double::isFinite)).isTrue();
                assertThat(p.issueTime()).isGreaterThanOrEqualTo(v1.dataTo().toEpochMilli());
            });
            assertThat(predictions).extracting(Prediction::meterId).contains("ETTm1/HUFL", "ETTm1/OT");
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);

            List<Alarm> alarms = CollectingSink.collected(queue + "-alarms");
            await(deadline, "alarms recorded").until(() -> recordedAlarmIds(registry).containsAll(
                    alarms.stream().map(Alarm::alarmId).toList()));
            System.out.printf("loop IT: %d requests, %d launches, champion v%d (test MAE %.4f), %d predictions, "
                    + "%d alarms%n", requests.size(), CollectingSink.collected(queue + "-launches").size(),
                    v1.version(), v1.metrics().mae(), predictions.size(), alarms.size());
        } finally {
            job.cancel().get();
            // the temporary directory is deleted next: nothing of the job may still be writing into it
            Awaitility.await("the canceled job stopped").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                    .until(() -> job.getJobStatus().get(), JobStatus::isGloballyTerminalState);
        }
    }

    private static List<String> recordedAlarmIds(JdbcModelRegistry registry) {
        return registry.alarms(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"), 100_000).stream()
                .map(AlarmEpisode::alarmId).toList();
    }

    /** Polls every half second until {@code deadline}, which the test's waits share. */
    private static ConditionFactory await(Deadline deadline, String what) throws TimeoutException {
        return Awaitility.await(what).atMost(deadline.timeLeftIfAny()).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(500));
    }
}
