package io.imlma.jobs.cluster;

import static io.imlma.jobs.cluster.SavepointOnStandaloneClusterIT.JOB_JAR;
import static io.imlma.jobs.cluster.SavepointOnStandaloneClusterIT.T0;
import static io.imlma.jobs.cluster.SavepointOnStandaloneClusterIT.reading;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imlma.common.json.Json;
import io.imlma.common.types.FeatureRow;
import io.imlma.jobs.MeterPipelineJob;
import io.imlma.jobs.cluster.SavepointOnStandaloneClusterIT.Topics;
import io.imlma.testkit.KafkaBroker;
import io.imlma.testkit.MariaDbDatabase;
import io.imlma.testkit.KafkaRecords;
import io.imlma.testkit.SharedKafka;
import io.imlma.testkit.StandaloneFlinkCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real failures on a standalone cluster: while the streaming job reads from Kafka, its TaskManager process is killed
 * with SIGKILL and a replacement is started, several times. The job must come back to RUNNING on the replacement
 * each time (the recovery time is logged), and afterwards the read_committed feature topic must hold every window
 * of every meter exactly once, with all of its readings.
 *
 * <p>Heartbeats every second (Flink's default: 10 s) let the JobManager notice the dead process within seconds,
 * and a 500 ms minimum pause between checkpoints (the project's: 30 s) keeps the committed output close behind;
 * the rest is the project's flink-conf (exponential-delay restarts, RocksDB, incremental checkpoints).
 */
class KillTaskManagerOnStandaloneClusterIT {
    private static final Logger LOG = LoggerFactory.getLogger(KillTaskManagerOnStandaloneClusterIT.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final List<String> METERS = List.of("m1", "m2", "m3");
    private static final int[] MINUTES_IN_WINDOW = {0, 5, 10};
    private static final int KILLS = 3;

    private static StandaloneFlinkCluster cluster;
    private static KafkaBroker kafka;
    /** The streaming job's model registry: real MySQL, shared by the JobManager and TaskManager processes. */
    private static MariaDbDatabase registry;

    @BeforeAll
    static void startCluster() {
        kafka = SharedKafka.broker();
        registry = MariaDbDatabase.create();
        cluster = StandaloneFlinkCluster.start(1, Map.of("heartbeat.interval", "1000", "heartbeat.timeout", "10000",
                "metrics.fetcher.update-interval", "1000",
                "execution.checkpointing.min-pause", "500ms"));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void theJobSurvivesKilledTaskManagersWithEveryWindowExactlyOnce() throws Exception {
        Topics topics = Topics.create(kafka, "kill");
        ClusterRest rest = new ClusterRest(cluster.restAddress());
        String jarId = rest.uploadJar(JOB_JAR);
        String jobId = rest.runJar(jarId, MeterPipelineJob.class.getName(), topics.pipelineArgs(cluster, registry),
                null);
        rest.awaitJob(jobId, ClusterRest::allTasksRunning, TIMEOUT, "running with all tasks");

        List<Long> recoveryMillis = new ArrayList<>();
        for (int window = 0; window < KILLS; window++) {
            // readings of this window in flight, then the TaskManager holding all of the job's tasks dies
            KafkaRecords.produce(kafka.bootstrapServers(), topics.readings(), readingsOfWindow(window));
            int victim = cluster.taskManagers().keySet().iterator().next();
            long killedAt = System.nanoTime();
            cluster.killTaskManager(victim);
            cluster.startTaskManager();
            int restarts = window + 1;
            rest.awaitJob(jobId, job -> ClusterRest.allTasksRunning(job) && restarts(rest, jobId) >= restarts,
                    TIMEOUT, "restarted " + restarts + " time(s) with all tasks running");
            long millis = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
            recoveryMillis.add(millis);
            LOG.info("kill {} of {}: TaskManager {} killed, job running again on its replacement after {} ms",
                    window + 1, KILLS, victim, millis);
        }
        // one reading per meter far enough ahead to close every window written so far
        KafkaRecords.produce(kafka.bootstrapServers(), topics.readings(),
                METERS.stream().map(m -> reading(m, KILLS * 15 + 20, 0.0)).toList());

        int expectedRows = METERS.size() * KILLS;
        List<FeatureRow> rows = KafkaRecords.values(KafkaRecords.readCommitted(kafka.bootstrapServers(),
                topics.features(), expectedRows, TIMEOUT)).stream().map(json -> Json.read(json, FeatureRow.class))
                .filter(row -> row.windowStart() < T0 + KILLS * 15 * SavepointOnStandaloneClusterIT.MINUTE)
                .toList();
        Map<String, Long> perWindow = rows.stream().collect(Collectors.groupingBy(
                row -> row.meterId() + "@" + row.windowStart(), Collectors.counting()));
        assertThat(perWindow).as("every window of every meter exactly once").hasSize(expectedRows)
                .allSatisfy((window, count) -> assertThat(count).as(window).isEqualTo(1L));
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.count()).as("readings in %s", row).isEqualTo(MINUTES_IN_WINDOW.length);
            assertThat(row.imputed()).isFalse();
        });
        JsonNode job = rest.get("jobs/" + jobId);
        assertThat(job.path("state").asText()).isEqualTo("RUNNING");
        LOG.info("survived {} TaskManager kills; recovery times (kill to all tasks running) in ms: {}", KILLS,
                recoveryMillis);
        rest.post("jobs/" + jobId + "/stop", Json.MAPPER.createObjectNode().put("drain", false));
    }

    /** Three readings per meter in window {@code window} (15 minutes each from T0); values tell windows apart. */
    private static List<String> readingsOfWindow(int window) {
        List<String> readings = new ArrayList<>();
        for (String meter : METERS) {
            for (int minute : MINUTES_IN_WINDOW) {
                readings.add(reading(meter, window * 15 + minute, window * 100 + minute));
            }
        }
        return readings;
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

}
