package io.imlma.jobs.cluster;

import static io.imlma.jobs.cluster.SavepointOnStandaloneClusterIT.JOB_JAR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.imlma.common.config.Settings;
import io.imlma.common.json.Json;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.ModelUpdate;
import io.imlma.common.types.Prediction;
import io.imlma.common.types.RetrainRequest;
import io.imlma.jobs.MeterPipelineJob;
import io.imlma.jobs.cluster.SavepointOnStandaloneClusterIT.Topics;
import io.imlma.jobs.launch.LaunchOutcome.Status;
import io.imlma.jobs.retrain.Retraining;
import io.imlma.ml.data.BundledData;
import io.imlma.registry.ModelVersion;
import io.imlma.registry.Promotion;
import io.imlma.registry.PromotionKind;
import io.imlma.registry.VersionStatus;
import io.imlma.registry.jdbc.JdbcModelRegistry;
import io.imlma.testkit.EttFixture.EttRow;
import io.imlma.testkit.EttFixture;
import io.imlma.testkit.KafkaBroker;
import io.imlma.testkit.KafkaRecords;
import io.imlma.testkit.SharedKafka;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The closed loop under real failures on a standalone cluster. Six days of three ETTm1 channels stream through the
 * job from Kafka while its TaskManager process is killed with SIGKILL three times and replaced: once at a random
 * moment before the first retraining, once while a retraining is running (the launcher runs RetrainJob inside the
 * TaskManager, so it dies with it), and once at a random moment later. After each kill the job must run again on
 * the replacement (the recovery time is logged). When every launch has ended, a seventh day is scored by the loop's
 * champion. Then:
 *
 * <ul>
 *   <li>every window of every meter is in the read_committed feature topic exactly once, with its reading;</li>
 *   <li>the trigger fired no request twice: request ids and data ranges on the retrain-request topic are distinct,
 *       and every request was launched once to success (the killed retraining was taken over and run again);</li>
 *   <li>the registry holds exactly one champion, and no retraining run registered more than one version;</li>
 *   <li>every promotion is announced once on the model-update topic; no alarm event (raise, re-notification,
 *       clear) and no prediction is duplicated.</li>
 * </ul>
 *
 * <p>Heartbeats every second (Flink's default: 10 s) let the JobManager notice the dead process within seconds,
 * and a 500 ms minimum pause between checkpoints (the project's: 30 s) keeps the committed output close behind;
 * the rest is the project's flink-conf (exponential-delay restarts, RocksDB, incremental checkpoints).
 */
class KillTaskManagerOnStandaloneClusterIT {
    private static final Logger LOG = LoggerFactory.getLogger(KillTaskManagerOnStandaloneClusterIT.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    /** How long a retraining is looked for after each chunk once one is due. */
    private static final Duration RETRAIN_WAIT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final String MODEL = "load-forecast";
    private static final List<String> METERS = List.of("HUFL", "MUFL", "OT");
    private static final int INTERVALS_PER_DAY = 96;
    private static final int DAYS = 6;
    /** Six hours of readings per chunk produced to Kafka. */
    private static final int CHUNK = 24;
    /** The first retraining is due after two days of committed snapshots of the three meters. */
    private static final int INITIAL_ROWS = 2 * INTERVALS_PER_DAY * METERS.size();

    // the loop's registry and launch ledger are in its MariaDB database; RetrainJob runs in the TaskManager (the
    // local launcher), beside the streaming job: room for both
    @RegisterExtension
    static final ClusterWithRegistry CLUSTER = new ClusterWithRegistry(Map.of("heartbeat.interval", "1000",
            "heartbeat.timeout", "10000", "metrics.fetcher.update-interval", "1000",
            "execution.checkpointing.min-pause", "500ms", "taskmanager.memory.process.size", "1600m"));
    private static final KafkaBroker kafka = SharedKafka.broker();

    @Test
    void theLoopSurvivesKilledTaskManagersWithoutLosingOrRepeatingAnything() throws Exception {
        long seed = Long.getLong("imlma.kill.seed", System.nanoTime());
        Random random = new Random(seed);
        Topics topics = Topics.create(kafka, "kill");
        ClusterRest rest = new ClusterRest(CLUSTER.cluster().restAddress());
        List<String> args = Stream.concat(topics.pipelineArgs(CLUSTER.cluster(), CLUSTER.registry()).stream(),
                loopArgs().stream()).toList();
        String jobId = rest.runJar(rest.uploadJar(JOB_JAR), MeterPipelineJob.class.getName(), args, null);
        rest.awaitJob(jobId, ClusterRest::allTasksRunning, TIMEOUT, "running with all tasks");

        List<Reading> readings = ettReadings((DAYS + 1) * INTERVALS_PER_DAY);
        List<Reading> scoringDay = readings.subList(DAYS * INTERVALS_PER_DAY * METERS.size(), readings.size());
        List<List<Reading>> chunks = chunks(readings.subList(0, DAYS * INTERVALS_PER_DAY * METERS.size()));
        int chunksBeforeFirstRetrain = 2 * INTERVALS_PER_DAY / CHUNK;
        int earlyKill = random.nextInt(chunksBeforeFirstRetrain - 1);
        int lateKill = chunks.size() - 1 - random.nextInt(3);
        LOG.info("kill seed {} (-Dimlma.kill.seed): kills after chunk {}, during a retraining, after chunk {} of {}",
                seed, earlyKill, lateKill, chunks.size());

        List<Long> recoveryMillis = new ArrayList<>();
        String killedLaunch = null;
        long killedLaunchAt = 0;
        for (int i = 0; i < chunks.size(); i++) {
            produce(topics, chunks.get(i));
            if (killedLaunch == null && i >= chunksBeforeFirstRetrain) {
                killedLaunch = awaitRunningLaunch(RETRAIN_WAIT);
                if (killedLaunch != null) {
                    killedLaunchAt = System.currentTimeMillis();
                    recoveryMillis.add(killAndRecover(rest, jobId, recoveryMillis.size() + 1, "retraining "
                            + killedLaunch + " running"));
                }
            }
            if (i == earlyKill || i == lateKill) {
                recoveryMillis.add(killAndRecover(rest, jobId, recoveryMillis.size() + 1, "after chunk " + i));
            }
        }
        assertThat(killedLaunch).as("a retraining was running at some point to be killed").isNotNull();
        awaitLaunchesSettled(rest, jobId, topics);
        // a day more, once the loop's champion serves (the stream does not wait for a model), then readings 40 and
        // 80 minutes later on every meter, which close the last windows and commit their snapshot partitions (in
        // steps: a reading more than clock.max-ahead (1 h) ahead of the newest one is quarantined as clock skew)
        produce(topics, scoringDay);
        long end = readings.get(readings.size() - 1).timestamp() + 15 * 60_000L;
        for (long minutes : new long[] {40, 80}) {
            produce(topics, METERS.stream().map(m -> new Reading(m, end + minutes * 60_000L, 0)).toList());
        }

        int expectedWindows = readings.size();
        List<FeatureRow> rows = KafkaRecords.values(KafkaRecords.readCommitted(kafka.bootstrapServers(),
                topics.features(), expectedWindows, TIMEOUT)).stream().map(json -> Json.read(json, FeatureRow.class))
                .filter(row -> row.windowStart() < end).toList();
        Map<String, Long> perWindow = rows.stream().collect(Collectors.groupingBy(
                row -> row.meterId() + "@" + row.windowStart(), Collectors.counting()));
        assertThat(perWindow).as("every window of every meter exactly once").hasSize(expectedWindows)
                .allSatisfy((window, count) -> assertThat(count).as(window).isEqualTo(1L));
        Map<String, Double> values = readings.stream().collect(Collectors.toMap(
                r -> r.meter() + "@" + r.timestamp(), Reading::value));
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.count()).as("readings in %s", row).isEqualTo(1);
            assertThat(row.imputed()).isFalse();
            assertThat(row.mean()).isEqualTo(values.get(row.meterId() + "@" + row.windowStart()));
        });

        int scored = METERS.size() * (INTERVALS_PER_DAY - 1);
        KafkaRecords.readCommitted(kafka.bootstrapServers(), topics.loop(Topics.PREDICTIONS), scored, TIMEOUT);
        Map<String, Launch> launches = awaitLaunchesSettled(rest, jobId, topics);
        rest.stopWithSavepoint(jobId, CLUSTER.cluster().savepointDir().toUri().toString(), TIMEOUT);

        List<RetrainRequest> requests = committed(topics.loop(Topics.RETRAIN_REQUESTS), RetrainRequest.class);
        assertThat(requests).as("requests").hasSizeGreaterThanOrEqualTo(2);
        assertThat(duplicates(requests, RetrainRequest::requestId)).as("request ids fired twice").isEmpty();
        assertThat(duplicates(requests, r -> r.dataFrom() + ".." + r.dataTo())).as("data ranges fired twice")
                .isEmpty();
        assertThat(launches.keySet()).as("launched requests")
                .containsExactlyInAnyOrderElementsOf(requests.stream().map(RetrainRequest::requestId).toList());
        assertThat(launches.values()).allSatisfy(launch ->
                assertThat(launch.status()).as(launch.toString()).isEqualTo(Status.SUCCEEDED.name()));
        assertThat(launches.get(killedLaunch).startedAt()).as("the killed retraining was launched again after the kill")
                .isGreaterThan(killedLaunchAt);

        try (JdbcModelRegistry models = JdbcModelRegistry.open(new Settings(registrySettings()), (path, sha) -> { })) {
            List<ModelVersion> versions = models.versions(MODEL);
            assertThat(versions).filteredOn(v -> v.status() == VersionStatus.CHAMPION).as("champions").hasSize(1);
            assertThat(versions).extracting(ModelVersion::trainingRun).as("versions come from launched requests")
                    .isSubsetOf(launches.keySet());
            List<ModelVersion> decided = versions.stream().filter(v -> v.decisionReasons().stream()
                    .noneMatch(r -> r.contains("interrupted"))).toList();
            assertThat(duplicates(decided, ModelVersion::trainingRun)).as("runs that decided twice").isEmpty();
            assertThat(decided).as("one decided version per launch").hasSize(launches.size());

            List<Integer> promoted = models.promotions(MODEL).stream()
                    .filter(p -> p.kind() == PromotionKind.PROMOTE && Retraining.PROMOTED_BY.equals(p.by()))
                    .map(Promotion::toVersion).toList();
            List<ModelUpdate> updates = committed(topics.loop(Topics.MODEL_UPDATES), ModelUpdate.class);
            assertThat(updates).extracting(ModelUpdate::version).as("model updates announced")
                    .containsExactlyElementsOf(promoted);
            LOG.info("registry: {} versions, promoted {}, champion v{}", versions.size(), promoted,
                    models.champion(MODEL).orElseThrow().version());
        }
        List<Alarm> alarms = committed(topics.loop(Topics.ALARMS), Alarm.class);
        // an episode's raise, re-notifications and clear share its id; each of them is one event
        assertThat(duplicates(alarms, a -> a.alarmId() + "@" + a.time() + "/" + a.severity()))
                .as("alarm events sent twice").isEmpty();
        List<Prediction> predictions = committed(topics.loop(Topics.PREDICTIONS), Prediction.class);
        assertThat(predictions.stream().filter(p -> p.issueTime() > scoringDay.get(0).timestamp()))
                .as("predictions of the last day").hasSizeGreaterThanOrEqualTo(scored);
        assertThat(duplicates(predictions, p -> p.meterId() + "@" + p.issueTime()))
                .as("windows predicted twice").isEmpty();

        LOG.info("survived {} TaskManager kills (seed {}); recovery times (kill to all tasks running) in ms: {}; "
                + "{} requests, {} predictions, {} alarms", recoveryMillis.size(), seed, recoveryMillis,
                requests.size(), predictions.size(), alarms.size());
        assertThat(recoveryMillis).hasSize(3);
    }

    /** The loop's settings: hourly snapshots, a small first training, retrains on 50 % growth, quick tuning. */
    private static List<String> loopArgs() {
        return List.of("--snapshot.partition", "hourly", "--trigger.min-initial-rows", Integer.toString(INITIAL_ROWS),
                "--trigger.theta", "0.5", "--trigger.schedule.enabled", "false",
                "--launcher.parallelism", "1", "--training.min-windows-per-meter", "30", "--forecast.input-length", "8",
                "--forecast.horizon", "8",
                "--tuning.trials", "2", "--tuning.round-size", "2", "--tuning.patience", "0");
    }

    private static Map<String, String> registrySettings() {
        return Map.of("registry.jdbc-url", CLUSTER.registry().jdbcUrl(), "registry.user", CLUSTER.registry().user(),
                "registry.password", CLUSTER.registry().password());
    }

    /**
     * Kills the TaskManager holding the job's tasks, starts a replacement and waits until the job has restarted
     * {@code restarts} times in all with every task running again; returns the milliseconds from kill to running.
     */
    private static long killAndRecover(ClusterRest rest, String jobId, int restarts, String when) throws Exception {
        int victim = CLUSTER.cluster().taskManagers().keySet().iterator().next();
        long killedAt = System.nanoTime();
        CLUSTER.cluster().killTaskManager(victim);
        CLUSTER.cluster().startTaskManager();
        rest.awaitJob(jobId, job -> ClusterRest.allTasksRunning(job) && restarts(rest, jobId) >= restarts,
                TIMEOUT, "restarted " + restarts + " time(s) with all tasks running");
        long millis = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
        LOG.info("kill {} ({}): TaskManager {} killed, job running again on its replacement after {} ms", restarts,
                when, victim, millis);
        return millis;
    }

    /** The job's {@code numRestarts} metric from the REST API (0 until the JobManager reports it). */
    private static long restarts(ClusterRest rest, String jobId) {
        try {
            JsonNode metrics = rest.get("jobs/" + jobId + "/metrics?get=numRestarts");
            return metrics.size() == 0 ? 0 : metrics.get(0).path("value").asLong();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read numRestarts of " + jobId, e);
        }
    }

    /** The request id of a launch the ledger shows running, polled for up to {@code wait}; null if none. */
    private static String awaitRunningLaunch(Duration wait) {
        try {
            return await("a running launch").atMost(wait).pollInterval(POLL)
                    .until(() -> launches().values().stream().filter(l -> l.status().equals(Status.RUNNING.name()))
                            .map(Launch::requestId).findFirst(), Optional::isPresent)
                    .orElseThrow();
        } catch (ConditionTimeoutException noneRunning) {
            return null;
        }
    }

    /**
     * Waits until the loop is at rest: no launch running and every committed request launched, still so after
     * three more completed checkpoints (a request fired in between would show up within them). Returns the launches.
     */
    private static Map<String, Launch> awaitLaunchesSettled(ClusterRest rest, String jobId, Topics topics) {
        AtomicLong settledAtCheckpoint = new AtomicLong(-1);
        return await("launches settled").atMost(TIMEOUT).pollInterval(POLL).until(() -> {
            Map<String, Launch> launches = launches();
            Set<String> requested = committed(topics.loop(Topics.RETRAIN_REQUESTS), RetrainRequest.class).stream()
                    .map(RetrainRequest::requestId).collect(Collectors.toSet());
            boolean settled = launches.values().stream().noneMatch(l -> l.status().equals(Status.RUNNING.name()))
                    && launches.keySet().equals(requested);
            long checkpoints = rest.get("jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong();
            if (!settled) {
                settledAtCheckpoint.set(-1);
            } else if (settledAtCheckpoint.get() < 0) {
                settledAtCheckpoint.set(checkpoints);
            }
            return new LaunchProgress(launches, requested,
                    settled && checkpoints >= settledAtCheckpoint.get() + 3);
        }, LaunchProgress::settledForThreeCheckpoints).launches();
    }

    /** What {@link #awaitLaunchesSettled} saw at one poll (shown when it times out). */
    private record LaunchProgress(Map<String, Launch> launches, Set<String> requested,
            boolean settledForThreeCheckpoints) {}

    record Launch(String requestId, String status, long startedAt, String message) {}

    /** The launch ledger (table retrain_launches of the registry database) by request id. */
    private static Map<String, Launch> launches() throws Exception {
        try (Connection c = DriverManager.getConnection(CLUSTER.registry().jdbcUrl(),
                        CLUSTER.registry().user(), CLUSTER.registry().password());
                Statement statement = c.createStatement();
                ResultSet row = statement.executeQuery(
                        "SELECT request_id, status, started_at_ms, message FROM retrain_launches")) {
            List<Launch> launches = new ArrayList<>();
            while (row.next()) {
                launches.add(new Launch(row.getString(1), row.getString(2), row.getLong(3), row.getString(4)));
            }
            return launches.stream().collect(Collectors.toMap(Launch::requestId, Function.identity()));
        } catch (java.sql.SQLSyntaxErrorException e) {
            return Map.of(); // the job creates the table when it opens the ledger
        }
    }

    private static <T> List<T> committed(String topic, Class<T> type) {
        return KafkaRecords.values(KafkaRecords.readAllCommitted(kafka.bootstrapServers(), topic, TIMEOUT)).stream()
                .map(json -> Json.read(json, type)).toList();
    }

    /** Keys that occur more than once, with their counts. */
    private static <T> Map<String, Long> duplicates(List<T> items, Function<T, String> key) {
        return items.stream().collect(Collectors.groupingBy(key, Collectors.counting())).entrySet().stream()
                .filter(e -> e.getValue() > 1).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    record Reading(String meter, long timestamp, double value) {
        String json() {
            return "{\"meterId\":\"" + meter + "\",\"timestamp\":" + timestamp + ",\"value\":" + value + "}";
        }
    }

    private static void produce(Topics topics, List<Reading> readings) {
        KafkaRecords.produce(kafka.bootstrapServers(), topics.readings(),
                readings.stream().map(Reading::json).toList());
    }

    /** The first {@code intervals} rows of the bundled ETTm1 as one reading per meter (channel) and interval. */
    private static List<Reading> ettReadings(int intervals) {
        List<Reading> readings = new ArrayList<>();
        for (EttRow row : EttFixture.rows(0, intervals)) {
            for (String meter : METERS) {
                readings.add(new Reading(meter, row.timestamp(), row.value(meter)));
            }
        }
        readings.sort(Comparator.comparingLong(Reading::timestamp));
        return readings;
    }

    private static List<List<Reading>> chunks(List<Reading> readings) {
        int size = CHUNK * METERS.size();
        List<List<Reading>> chunks = new ArrayList<>();
        for (int from = 0; from < readings.size(); from += size) {
            chunks.add(readings.subList(from, Math.min(readings.size(), from + size)));
        }
        return chunks;
    }
}
