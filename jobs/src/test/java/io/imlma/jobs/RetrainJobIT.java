package io.imlma.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imlma.common.config.Settings;
import io.imlma.common.integrity.FileDigest;
import io.imlma.common.integrity.IntegrityException;
import io.imlma.common.integrity.IntegrityStore;
import io.imlma.common.json.Json;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.ModelUpdate;
import io.imlma.common.types.Severity;
import io.imlma.jobs.retrain.RetrainRefusedException;
import io.imlma.jobs.retrain.RetrainResult;
import io.imlma.jobs.retrain.Retraining;
import io.imlma.jobs.snapshot.EttSnapshot;
import io.imlma.ml.eval.Metrics;
import io.imlma.ml.eval.ReplacementPolicy;
import io.imlma.ml.horizon.ModelArtifact;
import io.imlma.registry.AlarmEpisode;
import io.imlma.registry.MetricDeltas;
import io.imlma.registry.ModelRegistry;
import io.imlma.registry.ModelStore;
import io.imlma.registry.ModelVersion;
import io.imlma.registry.NewVersion;
import io.imlma.registry.VersionMetrics;
import io.imlma.registry.VersionStatus;
import io.imlma.registry.jdbc.JdbcModelRegistry;
import io.imlma.registry.jdbc.RegistryDataSource;
import io.imlma.testkit.KafkaBroker;
import io.imlma.testkit.KafkaBrokerExtension;
import io.imlma.testkit.KafkaRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * RetrainJob end to end on a Flink MiniCluster, on a sealed snapshot of eight weeks of three ETTm1 load channels,
 * with an H2 registry and a real Kafka broker: the first run registers and promotes v1 and publishes the update;
 * a second run on the same data is compared with that champion on the same rows and rejected; rerunning a decided
 * request reports its decision again and registers nothing, while a version an interrupted run left undecided is
 * rejected and the run starts over; a damaged champion
 * file and a damaged snapshot file are restored from their backups during a run; a snapshot whose backup is damaged
 * too is refused with a critical alarm. The runs build on each other, so they run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(KafkaBrokerExtension.class)
class RetrainJobIT {
    private static final String MODEL = "load-forecast";
    private static final String TOPIC = "model-updates-it";
    private static final List<String> CHANNELS = List.of("HUFL", "MUFL", "LUFL");
    private static final int WEEKS = 8;
    private static final Instant FROM = Instant.parse("2016-07-01T00:00:00Z");
    private static final Instant TO = FROM.plus(Duration.ofDays(7L * WEEKS));

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    static Path dir;

    private static IntegrityStore snapshots;
    private static IntegrityStore models;
    private static Map<String, String> base;
    private static RetrainResult first;

    @BeforeAll
    static void writeSnapshot() throws Exception {
        snapshots = new IntegrityStore(dir.resolve("snapshots").toUri(), dir.resolve("snapshots-backup").toUri());
        models = new IntegrityStore(dir.resolve("models").toUri(), dir.resolve("models-backup").toUri());
        EttSnapshot.write(snapshots, CHANNELS, 96 * 7 * WEEKS);
        base = new HashMap<>();
        base.put("model", MODEL);
        base.put("data-from", FROM.toString());
        base.put("data-to", String.valueOf(TO.toEpochMilli()));
        base.put("snapshot.path", snapshots.primaryBase().toString());
        base.put("snapshot.backup-path", snapshots.backupBase().toString());
        base.put("model.store.path", models.primaryBase().toString());
        base.put("model.store.backup-path", models.backupBase().toString());
        base.put(RegistryDataSource.JDBC_URL.key(),
                RegistryDataSource.h2File(dir.resolve("registry").toAbsolutePath()));
        base.put("tuning.method", "bo");
        base.put("tuning.trials", "6");
        base.put("tuning.round-size", "3");
        base.put("tuning.patience", "0");
        base.put("tuning.seed", "7");
        base.put("kafka.topic.model-updates", TOPIC);
    }

    @Test
    @Order(1)
    void firstRunRegistersPromotesAndPublishesTheModel(KafkaBroker kafka) throws Exception {
        kafka.createTopic(TOPIC, 1);
        first = retrain("r1", Map.of("kafka.bootstrap.servers", kafka.bootstrapServers()));
        report("first run", first);

        assertThat(first.version()).isEqualTo(1);
        assertThat(first.promoted()).isTrue();
        assertThat(first.reasons()).containsExactly("no champion yet");
        assertThat(first.meters()).containsExactly("ETTm1/HUFL", "ETTm1/LUFL", "ETTm1/MUFL");
        assertThat(first.trials()).hasSize(6);
        // every meter contributes its newest 15 % to the pooled test part: of 5,376 intervals, those from 4,570 on,
        // which hold 711 day-ahead windows (H = 96 from L = 336, the defaults), each scored on all 96 steps
        assertThat(first.candidate().count()).isEqualTo(3 * 711 * 96);
        // pooled over three meters and eight weeks the tuned NLinear model beats both naive baselines
        assertThat(first.candidate().mae()).isLessThan(first.lastValue().mae())
                .isLessThan(first.seasonalValue().mae());

        try (ModelRegistry registry = registry()) {
            ModelVersion v1 = registry.champion(MODEL).orElseThrow();
            assertThat(v1.version()).isEqualTo(1);
            assertThat(v1.trainingRun()).isEqualTo("r1");
            assertThat(v1.metrics().mae()).isEqualTo(first.candidate().mae());
            assertThat(v1.artifactPath()).isEqualTo("load-forecast/v1/model.json");
            assertThat(v1.snapshotId()).isEqualTo("dt=2016-07-01..dt=2016-08-25");
            assertThat(registry.promotions(MODEL)).singleElement()
                    .satisfies(p -> assertThat(p.by()).isEqualTo(Retraining.PROMOTED_BY));
            assertThat(registry.trialsOf(MODEL, 1)).hasSize(6).allSatisfy(t -> {
                assertThat(t.tuner()).isEqualTo("bayesian");
                assertThat(t.validationMae()).isPositive();
                assertThat(t.parameters()).containsKeys("l2");
                assertThat(t.seed()).isEqualTo(7);
            });
            byte[] primary = Files.readAllBytes(Path.of(models.primary(v1.artifactPath()).toUri()));
            assertThat(FileDigest.sha256(primary)).isEqualTo(v1.artifactSha256()).isEqualTo(first.artifactSha256());
            assertThat(Files.readAllBytes(Path.of(models.backup(v1.artifactPath()).toUri()))).isEqualTo(primary);
            assertThat(Files.readString(Path.of(models.primary(v1.artifactPath() + ".sha256").toUri())))
                    .startsWith(v1.artifactSha256() + "  model.json");
            ModelArtifact artifact = ModelArtifact.fromBytes(primary);
            assertThat(artifact.testMetrics()).isEqualTo(first.candidate());
            assertThat(artifact.residualStd()).isPositive();
            assertThat(artifact.dataFrom()).isEqualTo(FROM.toEpochMilli());
        }

        ModelUpdate expected = first.modelUpdate();
        assertThat(expected).isNotNull();
        assertThat(expected.version()).isEqualTo(1);
        assertThat(expected.sha256()).isEqualTo(first.artifactSha256());
        ModelUpdate published = Json.read(KafkaRecords.readCommitted(kafka.bootstrapServers(), TOPIC, 1,
                Duration.ofSeconds(60)).get(0).value(), ModelUpdate.class);
        assertThat(published).isEqualTo(expected);
        // what a launcher reports carries the same update, so the streaming job can serve it
        assertThat(RetrainResult.modelUpdateIn(first.summary())).contains(expected);
    }

    @Test
    @Order(2)
    void aSecondRunIsComparedWithTheChampionOnTheSameRowsAndRejected() throws Exception {
        RetrainResult second = retrain("r2", Map.of());
        report("second run", second);

        assertThat(second.version()).isEqualTo(2);
        assertThat(second.championVersion()).isEqualTo(1);
        // same data, seed and tuner: the candidate is the champion's model again, scored on the same rows
        assertThat(second.champion()).isEqualTo(second.candidate()).isEqualTo(first.candidate());
        assertThat(second.promoted()).isFalse();
        assertThat(second.reasons())
                .anySatisfy(r -> assertThat(r).matches("MAE improves by -?0\\.00 % .*needs at least 1\\.00 %"));
        assertThat(second.modelUpdate()).isNull();
        assertThat(RetrainResult.modelUpdateIn(second.summary())).isEmpty();
        try (ModelRegistry registry = registry()) {
            assertThat(registry.champion(MODEL).orElseThrow().version()).isEqualTo(1);
            ModelVersion v2 = registry.version(MODEL, 2);
            assertThat(v2.status()).isEqualTo(VersionStatus.REJECTED);
            // stored like for like: the champion's metrics on v2's own test rows, as the decision compared them
            assertThat(v2.championAtRegistration()).isEqualTo(1);
            assertThat(v2.championMetrics()).isEqualTo(VersionMetrics.of(second.champion()));
            assertThat(v2.testRows().count()).as("test windows").isEqualTo(second.candidate().count() / 96);
            assertThat(v2.testRows().firstTarget()).isAfter(FROM);
            assertThat(v2.testRows().lastTarget()).isBefore(TO);
            assertThat(v2.deltaVsChampion().baseVersion()).isEqualTo(1);
            assertThat(v2.deltaVsChampion().mae()).isEqualTo(0.0);
            assertThat(v2.decisionReasons()).anySatisfy(r -> assertThat(r).contains("MAE improves by"));
            assertThat(registry.trialsOf(MODEL, 2)).hasSize(6);
        }
    }

    @Test
    @Order(3)
    void aRerunOfADecidedRequestReportsItsDecisionAndRegistersNothing() throws Exception {
        RetrainResult promotedAgain = retrain("r1", Map.of());
        assertThat(promotedAgain.version()).isEqualTo(1);
        assertThat(promotedAgain.promoted()).isTrue();
        assertThat(promotedAgain.modelUpdate()).as("the same event as the first attempt's")
                .isEqualTo(first.modelUpdate());
        RetrainResult rejectedAgain = retrain("r2", Map.of());
        assertThat(rejectedAgain.version()).isEqualTo(2);
        assertThat(rejectedAgain.promoted()).isFalse();
        assertThat(RetrainResult.modelUpdateIn(rejectedAgain.summary())).isEmpty();
        // the comparison it reports is the stored one, on the same rows
        assertThat(rejectedAgain.championVersion()).isEqualTo(1);
        assertThat(rejectedAgain.champion().mae()).isEqualTo(rejectedAgain.candidate().mae());
        assertThat(rejectedAgain.candidate().count()).isEqualTo(promotedAgain.candidate().count()).isPositive();
        try (ModelRegistry registry = registry()) {
            assertThat(registry.versions(MODEL)).hasSize(2);
            assertThat(registry.promotions(MODEL)).hasSize(1);
            assertThat(registry.champion(MODEL).orElseThrow().version()).isEqualTo(1);
        }
    }

    @Test
    @Order(4)
    void aVersionLeftUndecidedByAnInterruptedRunIsRejectedAndTheRunStartsOver() throws Exception {
        try (ModelRegistry registry = registry()) {
            ModelVersion v1 = registry.version(MODEL, 1);
            registry.register(new NewVersion(MODEL, "r9", v1.dataFrom(), v1.dataTo(), v1.snapshotId(),
                    v1.trainer(), v1.hyperparameters(), v1.metrics(), v1.artifactPath(), v1.artifactSha256(),
                    List.of()));
        }
        RetrainResult rerun = retrain("r9", Map.of("tuning.trials", "2", "tuning.round-size", "2"));
        assertThat(rerun.version()).isEqualTo(4);
        try (ModelRegistry registry = registry()) {
            ModelVersion interrupted = registry.version(MODEL, 3);
            assertThat(interrupted.status()).isEqualTo(VersionStatus.REJECTED);
            assertThat(interrupted.decisionReasons()).anySatisfy(r -> assertThat(r).contains("interrupted"));
            assertThat(registry.version(MODEL, 4).trainingRun()).isEqualTo("r9");
            assertThat(registry.version(MODEL, 4).status()).isNotEqualTo(VersionStatus.CANDIDATE);
        }
    }

    @Test
    @Order(5)
    void damagedChampionAndSnapshotFilesAreRestoredFromTheirBackupsDuringARun() throws Exception {
        Path championFile = Path.of(models.primary("load-forecast/v1/model.json").toUri());
        byte[] champion = Files.readAllBytes(championFile);
        flipByte(championFile);
        Path snapshotFile = Path.of(snapshots.primary("dt=2016-07-10/part-0-0.jsonl").toUri());
        byte[] snapshot = Files.readAllBytes(snapshotFile);
        flipByte(snapshotFile);

        RetrainResult third = retrain("r3", Map.of("tuning.trials", "2", "tuning.round-size", "2"));

        assertThat(Files.readAllBytes(championFile)).isEqualTo(champion);
        assertThat(Files.readAllBytes(snapshotFile)).isEqualTo(snapshot);
        assertThat(third.championVersion()).isEqualTo(1);
        assertThat(third.alarms()).extracting(Alarm::severity).containsOnly(Severity.WARNING);
        assertThat(RetrainResult.alarmsIn(third.summary())).as("the alarms in the launcher's results")
                .isEqualTo(third.alarms());
        assertThat(third.alarms()).extracting(Alarm::message)
                .anySatisfy(m -> assertThat(m).startsWith("Restored load-forecast/v1/model.json from backup"))
                .anySatisfy(m -> assertThat(m).startsWith("Restored dt=2016-07-10/part-0-0.jsonl from backup"));
        try (ModelRegistry registry = registry()) {
            assertThat(registry.alarms(Instant.EPOCH, Instant.now().plusSeconds(60), 100))
                    .extracting(AlarmEpisode::alarmId)
                    .containsAll(third.alarms().stream().map(Alarm::alarmId).toList());
        }
    }

    @Test
    @Order(6)
    void aModelFileWhoseBackupIsDamagedTooIsRefusedOnLoad() throws Exception {
        String path = "load-forecast/v1/model.json";
        flipByte(Path.of(models.primary(path).toUri()));
        flipByte(Path.of(models.backup(path).toUri()));
        List<Alarm> alarms = new ArrayList<>();
        ModelStore store = new ModelStore(models, Clock.systemUTC(), alarms::add);

        assertThatThrownBy(() -> store.load(path, first.artifactSha256()))
                .isInstanceOf(IntegrityException.class)
                .hasMessageContaining("REFUSED file " + path);
        assertThat(alarms).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AlarmType.INTEGRITY);
            assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
        });
    }

    @Test
    @Order(7)
    void aSnapshotWhoseBackupIsDamagedTooIsRefusedWithACriticalAlarm() throws Exception {
        String file = "dt=2016-07-15/part-0-0.jsonl";
        flipByte(Path.of(snapshots.primary(file).toUri()));
        flipByte(Path.of(snapshots.backup(file).toUri()));

        assertThatThrownBy(() -> retrain("r5", Map.of()))
                .isInstanceOf(RetrainRefusedException.class)
                .hasMessageContaining("REFUSED snapshot range dt=2016-07-01 .. dt=2016-08-25")
                .hasMessageContaining(file);
        try (ModelRegistry registry = registry()) {
            assertThat(registry.alarms(Instant.EPOCH, Instant.now().plusSeconds(60), 100))
                    .filteredOn(a -> a.severity() == Severity.CRITICAL)
                    .extracting(AlarmEpisode::alarmId)
                    .contains("retrain-refused:r5")
                    .anySatisfy(id -> assertThat(id).startsWith("integrity:" + file));
            assertThat(registry.versions(MODEL)).hasSize(5);
        }
    }

    @Test
    @Order(8)
    void noRejectedVersionShowsAnImprovementOverTheChampionItWasJudgedAgainst() {
        ReplacementPolicy policy = ReplacementPolicy.from(new Settings(base));
        try (ModelRegistry registry = registry()) {
            List<ModelVersion> judged = registry.versions(MODEL).stream()
                    .filter(v -> v.championMetrics() != null).toList();
            assertThat(judged).extracting(ModelVersion::version).contains(2, 5);
            assertThat(judged).allSatisfy(v -> {
                // what the registry shows is ΔM from the metrics the decision compared ...
                assertThat(v.deltaVsChampion()).isEqualTo(MetricDeltas.between(v.championAtRegistration(),
                        v.championMetrics(), v.metrics()));
                // ... so deciding again from them gives the stored decision: rejected ones did not beat the champion
                boolean replace = policy.decide(metrics(v, v.metrics()), metrics(v, v.championMetrics())).replace();
                assertThat(replace).as("v%d (%s) against v%d", v.version(), v.status(), v.championAtRegistration())
                        .isEqualTo(v.status() != VersionStatus.REJECTED);
            });
            assertThat(judged).filteredOn(v -> v.status() == VersionStatus.REJECTED)
                    .allSatisfy(v -> assertThat(v.deltaVsChampion().mae()).isGreaterThan(-policy.maeMargin()));
            // registered without a comparison (as an interrupted run left it): shows none
            assertThat(registry.version(MODEL, 3).deltaVsChampion()).isNull();
            assertThat(registry.version(MODEL, 3).championAtRegistration()).isEqualTo(1);
        }
    }

    /**
     * The day-ahead MLP through the whole retraining: its trials' models (2.7 MB of JSON at width 256) come back from
     * the tuning rounds' jobs, which Flink's default collect batch of 2 MB refused.
     */
    @Test
    @Order(20)
    void anMlpRetrainingRegistersItsModel() throws Exception {
        Map<String, String> mlp = new HashMap<>(Map.of("model", "load-forecast-mlp", "training.model", "mlp",
                "tuning.trials", "2", "tuning.round-size", "2", "training.min-windows-per-meter", "100",
                "data-to", FROM.plus(Duration.ofDays(14)).toString()));
        RetrainResult result = retrain("mlp-1", mlp);
        report("mlp run", result);

        assertThat(result.trainer()).isEqualTo("mlp");
        assertThat(result.promoted()).isTrue();
        assertThat(result.trials()).hasSize(2).allSatisfy(t -> assertThat(t.validationMae()).isFinite());
        ModelArtifact artifact = ModelArtifact.fromBytes(Files.readAllBytes(
                Path.of(models.primary(result.artifactPath()).toUri())));
        assertThat(artifact.model()).isInstanceOf(io.imlma.ml.horizon.MlpHorizonModel.class);
        assertThat(artifact.toBytes().length).as("larger than Flink's default collect batch")
                .isGreaterThan(2 * 1024 * 1024);
        assertThat(artifact.horizon()).isEqualTo(96);
    }

    private static Metrics metrics(ModelVersion v, VersionMetrics stored) {
        return new Metrics(v.testRows().count() * 96, stored.mse(), stored.mae(), stored.r2());
    }

    private static RetrainResult retrain(String requestId, Map<String, String> extra) throws Exception {
        Map<String, String> values = new HashMap<>(base);
        values.put("request-id", requestId);
        values.putAll(extra);
        return Retraining.run(StreamExecutionEnvironment.getExecutionEnvironment(), new Settings(values));
    }

    private static ModelRegistry registry() {
        return JdbcModelRegistry.open(new Settings(base), (path, sha) -> { });
    }

    private static void flipByte(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);
    }

    private static void report(String what, RetrainResult r) {
        System.out.printf(Locale.ROOT, "%s: %d trials, best %s; test MAE candidate %.4f, champion %s, last value"
                        + " %.4f, seasonal %.4f (n=%d); %d ms%n", what, r.trials().size(), r.hyperparameters(),
                r.candidate().mae(), r.champion() == null ? "-" : String.format(Locale.ROOT, "%.4f",
                        r.champion().mae()), r.lastValue().mae(), r.seasonalValue().mae(), r.candidate().count(),
                r.durationMs());
    }
}
