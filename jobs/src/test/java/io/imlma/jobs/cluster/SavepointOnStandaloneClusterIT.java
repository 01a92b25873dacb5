package io.imlma.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.imlma.common.json.Json;
import io.imlma.common.types.FeatureRow;
import io.imlma.jobs.MeterPipelineJob;
import io.imlma.testkit.KafkaBroker;
import io.imlma.testkit.MariaDbDatabase;
import io.imlma.testkit.KafkaRecords;
import io.imlma.testkit.SharedKafka;
import io.imlma.testkit.StandaloneFlinkCluster;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming job jar on a real standalone cluster (JobManager and TaskManager JVMs started from the project's
 * flink-conf) against a real Kafka broker: uploaded and run over REST, its named operators in the REST API behind
 * the web UI, its records counted by the TaskManager's Prometheus reporter, stopped with a savepoint while a window
 * is half full, and resumed from the savepoint: the window then holds the readings from before and after the stop,
 * each once.
 */
class SavepointOnStandaloneClusterIT {
    static final Path JOB_JAR = Path.of("target", "imlma-jobs-" + System.getProperty("project.version",
            "0.1.0-SNAPSHOT") + "-job.jar");
    static final long T0 = 1_704_067_200_000L; // 2024-01-01T00:00Z, a window start
    static final long MINUTE = 60_000L;
    private static final Logger LOG = LoggerFactory.getLogger(SavepointOnStandaloneClusterIT.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    // the project's 30 s minimum pause between checkpoints would hold back the committed output for half a minute
    @RegisterExtension
    static final ClusterWithRegistry CLUSTER = new ClusterWithRegistry(Map.of(
            "metrics.fetcher.update-interval", "1000", "execution.checkpointing.min-pause", "500ms"));
    private static final KafkaBroker kafka = SharedKafka.broker();

    @Test
    void runsTheJarOverRestStopsWithASavepointAndResumesWithItsState() throws Exception {
        assertThat(JOB_JAR).as("the shaded job jar (run as a failsafe IT after package)").isRegularFile();
        Topics topics = Topics.create(kafka, "savepoint");
        ClusterRest rest = new ClusterRest(CLUSTER.cluster().restAddress());

        String jarId = rest.uploadJar(JOB_JAR);
        assertThat(rest.get("jars").path("files").findValuesAsText("id")).contains(jarId);
        String jobId = rest.runJar(jarId, MeterPipelineJob.class.getName(), topics.pipelineArgs(CLUSTER.cluster(),
                CLUSTER.registry()), null);
        JsonNode job = rest.awaitJob(jobId, ClusterRest::allTasksRunning, TIMEOUT, "running with all tasks");
        assertThat(String.join(" | ", ClusterRest.vertexNames(job))).as("operator names in the web UI's job graph")
                .contains("kafka-readings", "parse-json", "preprocess-readings", "kafka-features",
                        "kafka-dead-letters");

        KafkaRecords.produce(kafka.bootstrapServers(), topics.readings,
                List.of(reading("m1", 0, 1.0), reading("m1", 5, 2.0)));
        int prometheusPort = CLUSTER.cluster().taskManagers().values().iterator().next().prometheusPort();
        // Flink's Prometheus reporter writes label values with '_' for '-'
        double preprocessed = awaitRecordsIn(prometheusPort, "preprocess_readings", 2);
        assertThat(preprocessed).as("readings into the preprocess operator, scraped from Prometheus").isEqualTo(2);

        String savepoint = rest.stopWithSavepoint(jobId, CLUSTER.cluster().savepointDir().toUri().toString(), TIMEOUT);
        // the savepoint completes a moment before the job reports FINISHED
        rest.awaitJob(jobId, j -> "FINISHED".equals(j.path("state").asText()), TIMEOUT, "finished after the stop");
        assertThat(KafkaRecords.readAllCommitted(kafka.bootstrapServers(), topics.features, TIMEOUT))
                .as("no window closed before the stop").isEmpty();

        // the first window gets its third reading while the job is stopped; 35 min moves the watermark past it
        KafkaRecords.produce(kafka.bootstrapServers(), topics.readings,
                List.of(reading("m1", 10, 6.0), reading("m1", 35, 7.0)));
        long resumedAt = System.nanoTime();
        String resumedId = rest.runJar(jarId, MeterPipelineJob.class.getName(),
                topics.pipelineArgs(CLUSTER.cluster(), CLUSTER.registry()), savepoint);
        rest.awaitJob(resumedId, ClusterRest::allTasksRunning, TIMEOUT, "running with all tasks");
        LOG.info("resumed from {} in {} ms", savepoint, Duration.ofNanos(System.nanoTime() - resumedAt).toMillis());
        JsonNode restored = rest.get("jobs/" + resumedId + "/checkpoints").path("latest").path("restored");
        assertThat(restored.path("is_savepoint").asBoolean()).as(restored.toString()).isTrue();
        assertThat(restored.path("external_path").asText()).isEqualTo(savepoint);

        List<FeatureRow> rows = KafkaRecords.values(KafkaRecords.readCommitted(kafka.bootstrapServers(),
                topics.features, 2, TIMEOUT)).stream().map(json -> Json.read(json, FeatureRow.class)).toList();
        List<FeatureRow> first = rows.stream().filter(r -> r.windowStart() == T0).toList();
        assertThat(first).as("the first window, once: %s", rows).hasSize(1);
        assertThat(first.get(0).count()).as("two readings from the savepoint's window state, one after").isEqualTo(3);
        assertThat(first.get(0).mean()).isEqualTo(3.0);
        assertThat(first.get(0).min()).isEqualTo(1.0);
        assertThat(first.get(0).max()).isEqualTo(6.0);
    }

    static String reading(String meter, int minute, double value) {
        return "{\"meterId\":\"" + meter + "\",\"timestamp\":" + (T0 + minute * MINUTE) + ",\"value\":" + value + "}";
    }

    /** Polls the operator's numRecordsIn on a TaskManager's Prometheus endpoint until it reaches {@code expected}. */
    static double awaitRecordsIn(int prometheusPort, String operator, double expected) {
        String label = "operator_name=\"" + operator + "\"";
        return await("numRecordsIn of " + operator + " on :" + prometheusPort + " at " + expected).atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> Prometheus.sum(Prometheus.scrape(prometheusPort),
                        "flink_taskmanager_job_task_operator_numRecordsIn", label),
                        value -> value.isPresent() && value.getAsDouble() >= expected)
                .getAsDouble();
    }

    /** Topics and program arguments of one pipeline run; names unique per test, the broker is shared. */
    record Topics(String readings, String features, String deadLetters, String prefix) {
        static Topics create(KafkaBroker kafka, String test) {
            String prefix = "cluster-" + test + "-" + System.nanoTime();
            Topics topics = new Topics(prefix + "-readings", prefix + "-features", prefix + "-dead-letters", prefix);
            kafka.createTopic(topics.readings, 1);
            kafka.createTopic(topics.features, 1);
            kafka.createTopic(topics.deadLetters, 1);
            for (String loopTopic : List.of(PREDICTIONS, ALARMS, MODEL_UPDATES, RETRAIN_REQUESTS, RETRAIN_COMMANDS)) {
                kafka.createTopic(topics.loop(loopTopic), 1);
            }
            return topics;
        }

        static final String PREDICTIONS = "predictions";
        static final String ALARMS = "alarms";
        static final String MODEL_UPDATES = "model-updates";
        static final String RETRAIN_REQUESTS = "retrain-requests";
        static final String RETRAIN_COMMANDS = "retrain-commands";

        /** The topic of one of the loop's outputs ({@link #PREDICTIONS}, ...). */
        String loop(String output) {
            return prefix + "-" + output;
        }

        /** The URI of the loop's primary snapshot directory. */
        URI snapshots(StandaloneFlinkCluster cluster) {
            return URI.create(storage(cluster) + "snapshots");
        }

        /** The prefix of the loop's storage URIs (snapshots, models and their backups). */
        private String storage(StandaloneFlinkCluster cluster) {
            return cluster.workDir().resolve(prefix).toUri().toString();
        }

        /** The streaming job's arguments: Kafka, checkpoints, and the loop's storage and registry. */
        List<String> pipelineArgs(StandaloneFlinkCluster cluster, MariaDbDatabase registry) {
            String storage = storage(cluster);
            return List.of("--kafka.bootstrap.servers", SharedKafka.broker().bootstrapServers(),
                    "--kafka.topic.predictions", loop(PREDICTIONS), "--kafka.topic.alarms", loop(ALARMS),
                    "--kafka.topic.model-updates", loop(MODEL_UPDATES),
                    "--kafka.topic.retrain-requests", loop(RETRAIN_REQUESTS),
                    "--kafka.topic.retrain-commands", loop(RETRAIN_COMMANDS),
                    "--snapshot.path", storage + "snapshots", "--snapshot.backup-path", storage + "snapshots-backup",
                    "--model.store.path", storage + "models", "--model.store.backup-path", storage + "models-backup",
                    "--registry.jdbc-url", registry.jdbcUrl(), "--registry.user", registry.user(),
                    "--registry.password", registry.password(),
                    "--kafka.topic.readings", readings, "--kafka.topic.features", features,
                    "--kafka.topic.dead-letters", deadLetters, "--kafka.group.id", prefix,
                    "--kafka.transactional.id.prefix", prefix,
                    "--checkpoint.dir", cluster.checkpointDir().toUri().toString(),
                    "--checkpoint.interval", "1s",
                    "--watermark.out-of-orderness", "1min", "--watermark.idleness", "0s");
        }
    }
}
