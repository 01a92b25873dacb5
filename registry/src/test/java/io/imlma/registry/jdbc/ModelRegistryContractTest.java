package io.imlma.registry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.zaxxer.hikari.HikariDataSource;
import io.imlma.common.config.Settings;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.Severity;
import io.imlma.registry.AlarmEpisode;
import io.imlma.registry.AlarmStatus;
import io.imlma.registry.ArtifactVerificationException;
import io.imlma.registry.ArtifactVerifier;
import io.imlma.registry.MetricDeltas;
import io.imlma.registry.ModelVersion;
import io.imlma.registry.NewVersion;
import io.imlma.registry.NoSuchVersionException;
import io.imlma.registry.Promotion;
import io.imlma.registry.PromotionKind;
import io.imlma.registry.RegistryConflictException;
import io.imlma.registry.TestRows;
import io.imlma.registry.TuningTrial;
import io.imlma.registry.VersionComparison;
import io.imlma.registry.VersionMetrics;
import io.imlma.registry.VersionStatus;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The registry's behaviour, run against every database it supports (see the subclasses). */
abstract class ModelRegistryContractTest {
    private static final String MODEL = "load-forecast";
    private static final double EPS = 1e-12;

    private final Set<String> corruptArtifacts = ConcurrentHashMap.newKeySet();
    private final Set<String> verifiedArtifacts = ConcurrentHashMap.newKeySet();
    private HikariDataSource dataSource;
    private JdbcModelRegistry registry;

    /** A fresh, empty database for one test: {@code registry.*} settings. */
    protected abstract Settings createDatabase();

    /** Removes the database {@link #createDatabase()} made. */
    protected abstract void dropDatabase();

    @BeforeEach
    void openRegistry() {
        Settings settings = createDatabase();
        try {
            dataSource = RegistryDataSource.open(settings);
        } catch (RuntimeException e) {
            dropDatabase();
            throw e;
        }
        // stands in for the checksum code of the storage layer: it fails for paths the test marks corrupt
        ArtifactVerifier verifier = (path, sha256) -> {
            verifiedArtifacts.add(path);
            if (corruptArtifacts.contains(path)) {
                throw new IOException("SHA-256 mismatch for " + path);
            }
        };
        registry = new JdbcModelRegistry(dataSource, Duration.ZERO, verifier, Clock.systemUTC());
    }

    @AfterEach
    void closeRegistry() {
        if (registry != null) {
            registry.close();
            dropDatabase();
        }
    }

    @Test
    void registerNumbersVersionsAndComputesDeltaM() {
        Instant before = Instant.now().minusMillis(1);
        ModelVersion v1 = registry.register(version(MODEL, 0.04, 0.16, 0.80));
        registry.promote(MODEL, 1, "alice", "first model");
        ModelVersion v2 = registry.register(version(MODEL, 0.03, 0.15, 0.85));
        ModelVersion v3 = registry.register(version(MODEL, 0.06, 0.12, 0.68));

        assertThat(List.of(v1.version(), v2.version(), v3.version())).containsExactly(1, 2, 3);
        assertThat(v1.createdAt()).isAfter(before).isBeforeOrEqualTo(Instant.now());
        assertThat(v1.status()).isEqualTo(VersionStatus.CANDIDATE);
        assertThat(v1.deltaVsPrevious()).isNull();
        assertThat(v1.deltaVsChampion()).isNull();

        // v2 against its predecessor v1: (0.03-0.04)/0.04, (0.15-0.16)/0.16, ...
        assertDeltas(v2.deltaVsPrevious(), 1, -0.25, -0.0625, 0.0625);
        // v3 against its predecessor v2: (0.06-0.03)/0.03, (0.12-0.15)/0.15, (0.68-0.85)/0.85
        assertDeltas(v3.deltaVsPrevious(), 2, 1.0, -0.2, -0.2);
        // the champion v1 was not measured on their test rows: no ΔM against it from metrics on other rows
        assertThat(List.of(v2, v3)).allSatisfy(v -> {
            assertThat(v.championAtRegistration()).isEqualTo(1);
            assertThat(v.championMetrics()).isNull();
            assertThat(v.deltaVsChampion()).isNull();
        });
        assertThat(v1.championAtRegistration()).isNull();

        assertThat(registry.version(MODEL, 3)).isEqualTo(v3);
        assertThat(registry.versions(MODEL)).extracting(ModelVersion::version).containsExactly(1, 2, 3);
        assertThat(registry.versions("no-such-model")).isEmpty();
        assertThat(registry.models()).containsExactly(MODEL);
        assertThatThrownBy(() -> registry.version(MODEL, 4)).isInstanceOf(NoSuchVersionException.class)
                .hasMessageContaining("no version 4");
    }

    @Test
    void storedVersionKeepsEveryField() {
        NewVersion submitted = new NewVersion(MODEL, "run-7", Instant.parse("2016-07-01T00:00:00Z"),
                Instant.parse("2017-07-01T00:15:00.123Z"), "snapshot-2017-07-01", "ridge-sgd",
                Map.of("learningRate", 0.01, "batchSize", 64, "optimizer", "adam"),
                new VersionMetrics(0.5, 0.25, -0.125),
                "hdfs:///models/load/v1.bin", sha('a'), List.of("MAE 0.25 < 0.30", "R² -0.125 > -0.2"));

        ModelVersion stored = registry.register(submitted);

        assertThat(registry.version(MODEL, 1)).isEqualTo(stored);
        assertThat(stored).extracting(ModelVersion::trainingRun, ModelVersion::dataFrom, ModelVersion::dataTo,
                        ModelVersion::snapshotId, ModelVersion::trainer, ModelVersion::hyperparameters,
                        ModelVersion::metrics, ModelVersion::artifactPath, ModelVersion::artifactSha256,
                        ModelVersion::decisionReasons)
                .containsExactly(submitted.trainingRun(), submitted.dataFrom(), submitted.dataTo(),
                        submitted.snapshotId(), submitted.trainer(), submitted.hyperparameters(), submitted.metrics(),
                        submitted.artifactPath(), submitted.artifactSha256(), submitted.decisionReasons());
    }

    @Test
    void championMeasuredOnTheCandidatesTestRowsIsStoredWithItsDelta() {
        registry.register(version(MODEL, 0.04, 0.16, 0.80));
        registry.promote(MODEL, 1, "alice", "first model");
        TestRows rows = new TestRows(Instant.parse("2016-12-05T00:00:00Z"), Instant.parse("2016-12-31T23:45:00Z"),
                2_592);
        // on the candidate's rows the champion does better than its own stored metrics say, and better than the
        // candidate: the candidate's own 0.15 MAE beats the champion's 0.16 only across different windows
        VersionMetrics championOnRows = new VersionMetrics(0.02, 0.10, 0.90);
        ModelVersion v2 = registry.register(withComparison(version(MODEL, 0.03, 0.15, 0.85), rows, 1,
                championOnRows));

        assertThat(registry.version(MODEL, 2)).isEqualTo(v2);
        assertThat(v2.testRows()).isEqualTo(rows);
        assertThat(v2.championAtRegistration()).isEqualTo(1);
        assertThat(v2.championMetrics()).isEqualTo(championOnRows);
        // (0.03-0.02)/0.02, (0.15-0.10)/0.10, (0.85-0.90)/0.90: worse, like for like
        assertDeltas(registry.version(MODEL, 2).deltaVsChampion(), 1, 0.5, 0.5, -0.05 / 0.90);
        assertDeltas(v2.deltaVsPrevious(), 1, -0.25, -0.0625, 0.0625);
    }

    @Test
    void candidateWithoutAChampionKeepsItsTestRows() {
        TestRows rows = new TestRows(Instant.parse("2016-12-05T00:00:00Z"), Instant.parse("2016-12-05T00:00:00Z"), 1);
        ModelVersion v1 = registry.register(withComparison(version(MODEL, 0.04, 0.16, 0.80), rows, null, null));

        assertThat(registry.version(MODEL, 1)).isEqualTo(v1);
        assertThat(v1.testRows()).isEqualTo(rows);
        assertThat(v1.championAtRegistration()).isNull();
        assertThat(v1.deltaVsChampion()).isNull();
        assertThatThrownBy(() -> withComparison(version(MODEL, 0.04, 0.16, 0.80), null, 1,
                new VersionMetrics(0.1, 0.1, 0.1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("test rows");
    }

    @Test
    void compareGivesDeltaFromFirstToSecond() {
        registry.register(version(MODEL, 0.04, 0.16, 0.80));
        registry.register(version(MODEL, 0.06, 0.12, 0.68));

        VersionComparison forward = registry.compare(MODEL, 1, 2);
        VersionComparison backward = registry.compare(MODEL, 2, 1);

        assertThat(forward.a().version()).isEqualTo(1);
        assertThat(forward.b().version()).isEqualTo(2);
        assertDeltas(forward.delta(), 1, 0.5, -0.25, -0.15);
        // (0.04-0.06)/0.06, (0.16-0.12)/0.12, (0.80-0.68)/0.68
        assertDeltas(backward.delta(), 2, -1.0 / 3, 1.0 / 3, 0.12 / 0.68);
        assertThatThrownBy(() -> registry.compare(MODEL, 1, 9)).isInstanceOf(NoSuchVersionException.class);
    }

    @Test
    void promoteArchivesThePreviousChampionAndRecordsHistory() {
        registerVersions(MODEL, 3);

        Promotion first = registry.promote(MODEL, 1, "retrain-job", "MAE improved");
        Promotion second = registry.promote(MODEL, 2, "alice", "manual");

        assertThat(first.fromVersion()).isNull();
        assertThat(second.fromVersion()).isEqualTo(1);
        assertThat(second.toVersion()).isEqualTo(2);
        assertThat(registry.champion(MODEL)).map(ModelVersion::version).contains(2);
        assertThat(statuses(MODEL)).containsExactly(VersionStatus.ARCHIVED, VersionStatus.CHAMPION,
                VersionStatus.CANDIDATE);
        assertThat(registry.promotions(MODEL)).containsExactly(first, second);
        assertThat(second).extracting(Promotion::kind, Promotion::by, Promotion::reason)
                .containsExactly(PromotionKind.PROMOTE, "alice", "manual");

        assertThatThrownBy(() -> registry.promote(MODEL, 2, "bob", "again"))
                .isInstanceOf(RegistryConflictException.class).hasMessageContaining("already the champion");
        assertThatThrownBy(() -> registry.promote("unknown", 1, "bob", "x")).isInstanceOf(NoSuchVersionException.class);
        assertThatThrownBy(() -> registry.promote(MODEL, 7, "bob", "x")).isInstanceOf(NoSuchVersionException.class);
        assertThat(registry.promotions(MODEL)).hasSize(2);
        assertThat(registry.champion("unknown")).isEmpty();
    }

    @Test
    void rollbackStepsBackThroughEarlierChampions() {
        registerVersions(MODEL, 4);
        registry.promote(MODEL, 1, "job", "p1");
        registry.promote(MODEL, 2, "job", "p2");
        registry.promote(MODEL, 3, "job", "p3");

        Promotion toTwo = registry.rollback(MODEL, "alice", "v3 drifts");
        assertThat(toTwo).extracting(Promotion::fromVersion, Promotion::toVersion, Promotion::kind)
                .containsExactly(3, 2, PromotionKind.ROLLBACK);
        assertThat(registry.rollback(MODEL, "alice", "v2 too").toVersion()).isEqualTo(1);
        assertThatThrownBy(() -> registry.rollback(MODEL, "alice", "once more"))
                .isInstanceOf(RegistryConflictException.class).hasMessageContaining("no earlier champion");
        assertThat(registry.champion(MODEL)).map(ModelVersion::version).contains(1);

        // rolling back to any version, then one step back returns to the champion before it
        assertThat(registry.rollbackTo(MODEL, 3, "bob", "v3 was fine").fromVersion()).isEqualTo(1);
        assertThat(registry.rollback(MODEL, "bob", "no it was not").toVersion()).isEqualTo(1);
        assertThat(statuses(MODEL)).containsExactly(VersionStatus.CHAMPION, VersionStatus.ARCHIVED,
                VersionStatus.ARCHIVED, VersionStatus.CANDIDATE);
        assertThat(registry.promotions(MODEL)).extracting(Promotion::fromVersion, Promotion::toVersion)
                .containsExactly(pair(null, 1), pair(1, 2), pair(2, 3), pair(3, 2), pair(2, 1), pair(1, 3),
                        pair(3, 1));
    }

    @Test
    void rollbackWithoutHistoryIsAConflict() {
        registerVersions(MODEL, 1);
        assertThatThrownBy(() -> registry.rollback(MODEL, "alice", "x")).isInstanceOf(RegistryConflictException.class);
        registry.promote(MODEL, 1, "job", "first");
        assertThatThrownBy(() -> registry.rollback(MODEL, "alice", "x")).isInstanceOf(RegistryConflictException.class);
        assertThatThrownBy(() -> registry.rollback("unknown", "alice", "x")).isInstanceOf(NoSuchVersionException.class);
    }

    @Test
    void archiveAndRejectFollowTheLifecycle() {
        registerVersions(MODEL, 3);
        registry.promote(MODEL, 1, "job", "first");

        ModelVersion archived = registry.archive(MODEL, 2, "alice", "superseded");
        ModelVersion rejected = registry.reject(MODEL, 3, "MAE 0.2 not below champion's 0.1");

        assertThat(archived.status()).isEqualTo(VersionStatus.ARCHIVED);
        assertThat(archived.decisionReasons()).containsExactly("trained", "archived by alice: superseded");
        assertThat(rejected.status()).isEqualTo(VersionStatus.REJECTED);
        assertThat(rejected.decisionReasons()).containsExactly("trained", "rejected: MAE 0.2 not below champion's 0.1");
        assertThat(registry.version(MODEL, 3)).isEqualTo(rejected);

        assertThatThrownBy(() -> registry.archive(MODEL, 1, "alice", "x"))
                .isInstanceOf(RegistryConflictException.class).hasMessageContaining("CHAMPION");
        assertThatThrownBy(() -> registry.archive(MODEL, 2, "alice", "x")).isInstanceOf(RegistryConflictException.class);
        assertThatThrownBy(() -> registry.reject(MODEL, 2, "x")).isInstanceOf(RegistryConflictException.class);
        assertThatThrownBy(() -> registry.promote(MODEL, 3, "alice", "x"))
                .isInstanceOf(RegistryConflictException.class).hasMessageContaining("rejected");

        // an archived version can still be rolled back to, and so can a rejected one when an operator insists
        assertThat(registry.rollbackTo(MODEL, 2, "alice", "back").toVersion()).isEqualTo(2);
        assertThat(registry.rollbackTo(MODEL, 3, "alice", "insist").toVersion()).isEqualTo(3);
        assertThat(statuses(MODEL)).containsExactly(VersionStatus.ARCHIVED, VersionStatus.ARCHIVED,
                VersionStatus.CHAMPION);
    }

    @Test
    void artifactIsVerifiedBeforeItIsServed() {
        registerVersions(MODEL, 2);
        registry.promote(MODEL, 1, "job", "first");
        String v2 = registry.version(MODEL, 2).artifactPath();
        corruptArtifacts.add(v2);

        assertThatThrownBy(() -> registry.promote(MODEL, 2, "job", "better"))
                .isInstanceOf(ArtifactVerificationException.class).hasMessageContaining(v2)
                .hasMessageContaining("SHA-256 mismatch");
        assertThat(registry.champion(MODEL)).map(ModelVersion::version).contains(1);
        assertThat(registry.promotions(MODEL)).hasSize(1);
        assertThat(statuses(MODEL)).containsExactly(VersionStatus.CHAMPION, VersionStatus.CANDIDATE);

        verifiedArtifacts.clear();
        assertThat(registry.championForServing(MODEL)).map(ModelVersion::version).contains(1);
        assertThat(verifiedArtifacts).containsExactly(registry.version(MODEL, 1).artifactPath());

        corruptArtifacts.add(registry.version(MODEL, 1).artifactPath());
        assertThatThrownBy(() -> registry.championForServing(MODEL)).isInstanceOf(ArtifactVerificationException.class);
        assertThat(registry.championForServing("no-champion-yet")).isEmpty();
    }

    @Test
    void databaseRejectsASecondChampionWrittenBySql() throws SQLException {
        registerVersions(MODEL, 2);
        registry.promote(MODEL, 1, "job", "first");

        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("UPDATE model_versions SET status = 'CHAMPION',"
                    + " champion_of = model_name WHERE model_name = '" + MODEL + "' AND version = 2"))
                    .isInstanceOf(SQLIntegrityConstraintViolationException.class);
            // a champion status without the marker, or the marker without the status, violates the check
            assertThatThrownBy(() -> s.executeUpdate("UPDATE model_versions SET status = 'CHAMPION'"
                    + " WHERE model_name = '" + MODEL + "' AND version = 2"))
                    .isInstanceOf(SQLIntegrityConstraintViolationException.class);
            assertThatThrownBy(() -> s.executeUpdate("UPDATE model_versions SET champion_of = model_name"
                    + " WHERE model_name = '" + MODEL + "' AND version = 2"))
                    .isInstanceOf(SQLIntegrityConstraintViolationException.class);
            assertThat(championRows(s, MODEL)).isEqualTo(1);
        }
    }

    @Test
    void concurrentPromotionsLeaveOneChampionAndAnUnbrokenHistory() throws Exception {
        int versions = 6;
        int threads = 16;
        int operationsPerThread = 6;
        registerVersions(MODEL, versions);
        registry.promote(MODEL, 1, "setup", "initial champion");

        AtomicInteger changes = new AtomicInteger(1);
        AtomicInteger conflicts = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Random random = new Random(t);
            String who = "thread-" + t;
            results.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < operationsPerThread; i++) {
                    int target = 1 + random.nextInt(versions);
                    try {
                        switch (random.nextInt(3)) {
                            case 0 -> registry.promote(MODEL, target, who, "op " + i);
                            case 1 -> registry.rollbackTo(MODEL, target, who, "op " + i);
                            default -> registry.rollback(MODEL, who, "op " + i);
                        }
                        changes.incrementAndGet();
                    } catch (RegistryConflictException e) {
                        conflicts.incrementAndGet(); // already champion, or nothing to roll back to
                    }
                }
                return null;
            }));
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(3, TimeUnit.MINUTES)).isTrue();
        for (Future<?> result : results) {
            result.get(); // any other failure fails the test
        }

        assertThat(changes.get() + conflicts.get()).isEqualTo(1 + threads * operationsPerThread);
        assertThat(changes.get()).isGreaterThan(threads);
        List<Promotion> history = registry.promotions(MODEL);
        assertThat(history).hasSize(changes.get());
        assertThat(history.get(0).fromVersion()).isNull();
        for (int i = 1; i < history.size(); i++) {
            assertThat(history.get(i).fromVersion()).as("promotion %d starts where %d ended", i, i - 1)
                    .isEqualTo(history.get(i - 1).toVersion());
        }
        int champion = registry.champion(MODEL).orElseThrow().version();
        assertThat(history.get(history.size() - 1).toVersion()).isEqualTo(champion);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            assertThat(championRows(s, MODEL)).isEqualTo(1);
        }
        assertThat(registry.versions(MODEL)).allSatisfy(v -> assertThat(v.status())
                .isEqualTo(v.version() == champion ? VersionStatus.CHAMPION : VersionStatus.ARCHIVED));
    }

    @Test
    void concurrentRegistrationsOfANewModelGetDistinctNumbers() throws Exception {
        int threads = 16;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<ModelVersion>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            double mae = 0.1 + t / 100.0;
            results.add(pool.submit(() -> {
                start.await();
                return registry.register(version("fresh-model", 0.02, mae, 0.9));
            }));
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(3, TimeUnit.MINUTES)).isTrue();
        List<Integer> numbers = new ArrayList<>();
        for (Future<ModelVersion> result : results) {
            numbers.add(result.get().version());
        }
        Collections.sort(numbers);
        assertThat(numbers).isEqualTo(IntStream.rangeClosed(1, threads).boxed().toList());
        // every version's ΔM refers to the version that really precedes it
        List<ModelVersion> stored = registry.versions("fresh-model");
        for (int i = 1; i < stored.size(); i++) {
            double expected = (stored.get(i).metrics().mae() - stored.get(i - 1).metrics().mae())
                    / stored.get(i - 1).metrics().mae();
            assertThat(stored.get(i).deltaVsPrevious().mae()).isCloseTo(expected, within(EPS));
        }
    }

    @Test
    void tuningTrialsAreStoredOncePerRunAndTrial() {
        registry.register(new NewVersion(MODEL, "run-1", null, null, null, "ridge-sgd", Map.of(),
                new VersionMetrics(0.1, 0.2, 0.5), "file:///m/1", sha('b'), List.of()));
        TuningTrial first = trial("run-1", 1, 0.31, Map.of("learningRate", 0.1, "batchSize", 32));
        TuningTrial second = trial("run-1", 2, 0.27, Map.of("learningRate", 0.01, "batchSize", 64));
        TuningTrial otherRun = trial("run-2", 1, 0.5, Map.of("learningRate", 0.5));

        assertThat(registry.recordTrial(second)).isTrue();
        assertThat(registry.recordTrial(first)).isTrue();
        assertThat(registry.recordTrial(otherRun)).isTrue();
        assertThat(registry.recordTrial(trial("run-1", 2, 9.9, Map.of()))).isFalse();

        assertThat(registry.trials(MODEL, "run-1")).containsExactly(first, second);
        assertThat(registry.trialsOf(MODEL, 1)).containsExactly(first, second);
        assertThat(registry.trials(MODEL, "run-2")).containsExactly(otherRun);
        assertThat(registry.trials(MODEL, "run-3")).isEmpty();
    }

    @Test
    void alarmsAreIdempotentOnTheirId() {
        long t0 = Instant.parse("2024-03-01T10:00:00Z").toEpochMilli();
        Alarm latency = new Alarm("latency:job:" + t0, AlarmType.LATENCY, Severity.WARNING, null, 3, 812.5, 500, t0,
                "end-to-end latency 812.5 ms over 500 ms");
        Alarm stability = new Alarm("stability:m1:" + (t0 + 900_000), AlarmType.STABILITY, Severity.CRITICAL, "m1", 3,
                4.25, 2.0, t0 + 900_000, "|ŷt − ŷt−1| = 4.25 > δ = 2.0");
        Alarm later = new Alarm("integrity:snap-9", AlarmType.INTEGRITY, Severity.CRITICAL, null, 0, 1, 0,
                t0 + 3_600_000, "snapshot checksum mismatch, restored from backup");

        assertThat(registry.recordAlarm(stability)).isTrue();
        assertThat(registry.recordAlarm(latency)).isTrue();
        assertThat(registry.recordAlarm(later)).isTrue();
        Alarm replayed = new Alarm(latency.alarmId(), AlarmType.LATENCY, Severity.CRITICAL, null, 3, 999, 500, t0,
                "replayed");
        assertThat(registry.recordAlarm(replayed)).isFalse();

        Instant from = Instant.ofEpochMilli(t0);
        assertThat(raised(registry.alarms(from, from.plusSeconds(3600), 100))).containsExactly(latency, stability);
        assertThat(raised(registry.alarms(from, from.plusSeconds(3601), 100))).containsExactly(latency, stability, later);
        assertThat(raised(registry.alarms(from, from.plusSeconds(7200), 1))).containsExactly(latency);
        assertThat(raised(registry.alarms(from.plusMillis(1), from.plusSeconds(7200), 10))).containsExactly(stability, later);
    }

    @Test
    void anAlarmEpisodeIsRaisedRenotifiedAndCleared() {
        Alarm raise = episodeEvent(Severity.WARNING, 0, 3.5, "|ŷt − ŷt−1| = 3.5 > δ = 2.0");
        Alarm renotify = episodeEvent(Severity.CRITICAL, 1, 4.5, "still active: |ŷt − ŷt−1| = 4.5 > δ = 2.0");
        Alarm clear = episodeEvent(Severity.INFO, 2, 0.5, "resolved: |ŷt − ŷt−1| = 0.5 > δ = 2.0");
        Instant from = Instant.ofEpochMilli(raise.time());
        Instant to = from.plusSeconds(86_400);

        assertThat(registry.recordAlarm(raise)).isTrue();
        assertThat(registry.recordAlarm(raise)).as("replayed raise").isFalse();
        assertThat(onlyAlarm()).isEqualTo(new AlarmEpisode(raise.alarmId(), AlarmType.STABILITY, Severity.WARNING,
                "m1", 3, 3.5, 2.0, raise.time(), raise.message(), raise.time(), 3.5, null, null));
        assertThat(onlyAlarm().status()).isEqualTo(AlarmStatus.ACTIVE);

        assertThat(registry.recordAlarm(renotify)).isTrue();
        assertThat(registry.recordAlarm(renotify)).as("replayed re-notification").isFalse();
        assertThat(registry.recordAlarm(raise)).as("raise replayed after the re-notification").isFalse();
        assertThat(onlyAlarm()).isEqualTo(new AlarmEpisode(raise.alarmId(), AlarmType.STABILITY, Severity.WARNING,
                "m1", 3, 3.5, 2.0, raise.time(), raise.message(), renotify.time(), 4.5, null, null));
        assertThat(registry.alarms(from, to, AlarmStatus.ACTIVE, 10)).containsExactly(onlyAlarm());
        assertThat(registry.alarms(from, to, AlarmStatus.RESOLVED, 10)).isEmpty();

        assertThat(registry.recordAlarm(clear)).isTrue();
        for (Alarm replayed : List.of(clear, renotify, raise)) {
            assertThat(registry.recordAlarm(replayed)).as("replayed after the clear: " + replayed.message()).isFalse();
        }
        AlarmEpisode resolved = onlyAlarm();
        assertThat(resolved).isEqualTo(new AlarmEpisode(raise.alarmId(), AlarmType.STABILITY, Severity.WARNING,
                "m1", 3, 3.5, 2.0, raise.time(), raise.message(), renotify.time(), 4.5, clear.time(), clear.message()));
        assertThat(resolved.status()).isEqualTo(AlarmStatus.RESOLVED);
        assertThat(registry.alarms(from, to, AlarmStatus.ACTIVE, 10)).isEmpty();
        assertThat(registry.alarms(from, to, AlarmStatus.RESOLVED, 10)).containsExactly(resolved);
    }

    @Test
    void aClearRecordedBeforeItsRaiseKeepsTheRaise() {
        Alarm raise = episodeEvent(Severity.CRITICAL, 0, 5.0, "|ŷt − ŷt−1| = 5.0 > δ = 2.0");
        Alarm clear = episodeEvent(Severity.INFO, 2, 0.1, "resolved: |ŷt − ŷt−1| = 0.1");

        assertThat(registry.recordAlarm(clear)).isTrue();
        assertThat(onlyAlarm().status()).isEqualTo(AlarmStatus.RESOLVED);
        assertThat(onlyAlarm().lastNotifiedAt()).as("no notification known yet").isNull();

        assertThat(registry.recordAlarm(raise)).isTrue();
        assertThat(registry.recordAlarm(clear)).isFalse();
        assertThat(onlyAlarm()).isEqualTo(new AlarmEpisode(raise.alarmId(), AlarmType.STABILITY, Severity.CRITICAL,
                "m1", 3, 5.0, 2.0, raise.time(), raise.message(), raise.time(), 5.0, clear.time(), clear.message()));
    }

    @Test
    void anEpisodeIsTheSameWhateverOrderItsEventsArriveIn() {
        List<Alarm> events = List.of(
                episodeEvent(Severity.WARNING, 0, 3.0, "raise"),
                episodeEvent(Severity.WARNING, 1, 3.5, "still active: 1"),
                episodeEvent(Severity.CRITICAL, 2, 4.5, "still active: 2"),
                episodeEvent(Severity.INFO, 3, 0.2, "resolved"));
        for (List<Integer> order : permutations(List.of(0, 1, 2, 3))) {
            String id = "episode-" + order;
            for (int i : order) {
                Alarm e = events.get(i);
                registry.recordAlarm(new Alarm(id, e.type(), e.severity(), e.meterId(), e.modelVersion(), e.value(),
                        e.threshold(), e.time(), e.message()));
            }
            long t0 = events.get(0).time();
            assertThat(registry.alarms(Instant.ofEpochMilli(t0), Instant.ofEpochMilli(t0 + 1), 100))
                    .as("order " + order).filteredOn(a -> a.alarmId().equals(id))
                    .containsExactly(new AlarmEpisode(id, AlarmType.STABILITY, Severity.WARNING, "m1", 3, 3.0, 2.0,
                            t0, "raise", events.get(2).time(), 4.5, events.get(3).time(), "resolved"));
        }
    }

    @Test
    void concurrentWritersOfOneEpisodeLoseNoEvent() throws Exception {
        List<Alarm> events = List.of(
                episodeEvent(Severity.WARNING, 0, 3.0, "raise"),
                episodeEvent(Severity.WARNING, 1, 3.5, "still active"),
                episodeEvent(Severity.INFO, 2, 0.2, "resolved"));
        ExecutorService pool = Executors.newFixedThreadPool(events.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (Alarm e : events) {
                results.add(pool.submit(() -> {
                    start.await();
                    return registry.recordAlarm(e);
                }));
            }
            start.countDown();
            for (Future<Boolean> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        AlarmEpisode episode = onlyAlarm();
        assertThat(episode.time()).isEqualTo(events.get(0).time());
        assertThat(episode.lastNotifiedAt()).isEqualTo(events.get(1).time());
        assertThat(episode.clearedAt()).isEqualTo(events.get(2).time());
    }

    // --- helpers ---

    /** An event of one stability alarm episode on meter m1, {@code hours} after its raise. */
    private static Alarm episodeEvent(Severity severity, int hours, double value, String message) {
        long t0 = Instant.parse("2024-03-02T08:00:00Z").toEpochMilli();
        return new Alarm("stability:m1:" + t0, AlarmType.STABILITY, severity, "m1", 3, value, 2.0,
                t0 + hours * 3_600_000L, message);
    }

    private AlarmEpisode onlyAlarm() {
        List<AlarmEpisode> all = registry.alarms(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"), 100);
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private static List<Alarm> raised(List<AlarmEpisode> episodes) {
        return episodes.stream().map(AlarmEpisode::raised).toList();
    }

    private static List<List<Integer>> permutations(List<Integer> items) {
        if (items.isEmpty()) {
            return List.of(List.of());
        }
        List<List<Integer>> all = new ArrayList<>();
        for (Integer first : items) {
            List<Integer> rest = new ArrayList<>(items);
            rest.remove(first);
            for (List<Integer> tail : permutations(rest)) {
                List<Integer> order = new ArrayList<>(List.of(first));
                order.addAll(tail);
                all.add(order);
            }
        }
        return all;
    }

    private void registerVersions(String model, int count) {
        for (int i = 1; i <= count; i++) {
            registry.register(version(model, 0.01 * i, 0.1 * i, 0.9 - 0.01 * i));
        }
    }

    private static NewVersion version(String model, double mse, double mae, double r2) {
        String id = model + "-" + mse + "-" + mae + "-" + r2;
        return new NewVersion(model, null, Instant.parse("2016-07-01T00:00:00Z"), Instant.parse("2017-01-01T00:00:00Z"),
                "snapshot-1", "ridge-sgd", Map.of("learningRate", 0.01), new VersionMetrics(mse, mae, r2),
                "file:///models/" + id + ".bin", sha('c'), List.of("trained"));
    }

    private static NewVersion withComparison(NewVersion v, TestRows rows, Integer champion,
            VersionMetrics championMetrics) {
        return new NewVersion(v.modelName(), v.trainingRun(), v.dataFrom(), v.dataTo(), v.snapshotId(), v.trainer(),
                v.hyperparameters(), v.metrics(), v.artifactPath(), v.artifactSha256(), v.decisionReasons(), rows,
                champion, championMetrics);
    }

    private static TuningTrial trial(String run, int no, double mae, Map<String, Object> parameters) {
        return new TuningTrial(MODEL, run, no, "bayesian", parameters, mae * mae, mae, 1200 + no, 42);
    }

    private List<VersionStatus> statuses(String model) {
        return registry.versions(model).stream().map(ModelVersion::status).toList();
    }

    private static int championRows(Statement s, String model) throws SQLException {
        try (ResultSet rs = s.executeQuery(
                "SELECT COUNT(*) FROM model_versions WHERE model_name = '" + model + "' AND status = 'CHAMPION'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void assertDeltas(MetricDeltas d, int base, double mse, double mae, double r2) {
        assertThat(d.baseVersion()).isEqualTo(base);
        assertThat(d.mse()).isCloseTo(mse, within(EPS));
        assertThat(d.mae()).isCloseTo(mae, within(EPS));
        assertThat(d.r2()).isCloseTo(r2, within(EPS));
    }

    private static org.assertj.core.groups.Tuple pair(Integer from, int to) {
        return org.assertj.core.groups.Tuple.tuple(from, to);
    }

    private static String sha(char digit) {
        return String.valueOf(digit).repeat(64);
    }
}
