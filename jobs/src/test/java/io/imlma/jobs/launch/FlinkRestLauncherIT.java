package io.imlma.jobs.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.imlma.common.config.Settings;
import io.imlma.common.json.Json;
import io.imlma.jobs.VerifySnapshotJob;
import io.imlma.jobs.launch.LaunchOutcome.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Flink-REST launcher against the REST API of a Flink MiniCluster (with the web submission handlers of
 * flink-runtime-web): uploads the shaded job jar built by {@code package}, runs the placeholder job on a snapshot,
 * polls it to the end and reads its accumulators; a second request reuses the uploaded jar; a refused snapshot is a
 * FAILED outcome carrying the integrity message. Ordered: the first test starts from an empty upload directory.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlinkRestLauncherIT {
    private static final Path JOB_JAR = Path.of("target", "imlma-jobs-" + System.getProperty("project.version",
            "0.1.0-SNAPSHOT") + "-job.jar");

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(new Configuration().set(WebOptions.UPLOAD_DIR,
                    Path.of("target", "flink-web-upload-" + System.nanoTime()).toAbsolutePath().toString()))
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path dir;

    private RetrainLauncher restLauncher(SnapshotFixture snapshot, URI rest) {
        Map<String, String> settings = new HashMap<>(snapshot.settings());
        settings.put(LauncherConfig.MODE.key(), "flink-rest");
        settings.put(LauncherConfig.REST_ADDRESS.key(), rest.toString());
        settings.put(LauncherConfig.JAR.key(), JOB_JAR.toString());
        settings.put(LauncherConfig.POLL_INTERVAL.key(), "200ms");
        settings.put(LauncherConfig.TIMEOUT.key(), "3min");
        return LauncherConfig.from(new Settings(settings)).create();
    }

    @Test
    @Order(1)
    void uploadsRunsAndPollsTheJobOnTheCluster(@InjectClusterClient ClusterClient<?> cluster) throws Exception {
        URI rest = URI.create(cluster.getWebInterfaceURL());
        assertThat(JOB_JAR).as("the shaded job jar (run as a failsafe IT after package)").isRegularFile();
        SnapshotFixture snapshot = SnapshotFixture.write(dir, 2, 2);
        try (RetrainLauncher launcher = restLauncher(snapshot, rest)) {
            LaunchOutcome first = launcher.launch(snapshot.request("rest-1")).get(4, TimeUnit.MINUTES);
            assertThat(first.status()).as(first.message()).isEqualTo(Status.SUCCEEDED);
            assertThat(first.mode()).isEqualTo("flink-rest");
            assertThat(first.results()).containsEntry(VerifySnapshotJob.ROWS, Long.toString(snapshot.rows));
            JsonNode job = get(rest, "jobs/" + first.jobId());
            assertThat(job.path("state").asText()).isEqualTo("FINISHED");
            assertThat(job.path("name").asText()).isEqualTo("verify snapshot rest-1");

            LaunchOutcome second = launcher.launch(snapshot.request("rest-2")).get(4, TimeUnit.MINUTES);
            assertThat(second.status()).as(second.message()).isEqualTo(Status.SUCCEEDED);
            assertThat(second.jobId()).isNotEqualTo(first.jobId());
        }
        List<String> jars = new ArrayList<>();
        get(rest, "jars").path("files").forEach(jar -> jars.add(jar.path("name").asText()));
        assertThat(jars).as("the jar is uploaded once and reused (also by a rerun of this test on the same cluster)")
                .containsExactly(JOB_JAR.getFileName().toString());
    }

    @Test
    @Order(2)
    void aRefusedSnapshotFailsWithTheIntegrityMessage(@InjectClusterClient ClusterClient<?> cluster) throws Exception {
        URI rest = URI.create(cluster.getWebInterfaceURL());
        SnapshotFixture snapshot = SnapshotFixture.write(dir, 1, 1);
        Files.delete(snapshot.firstFile(snapshot.primary));
        Files.delete(snapshot.firstFile(snapshot.backup));
        try (RetrainLauncher launcher = restLauncher(snapshot, rest)) {
            LaunchOutcome outcome = launcher.launch(snapshot.request("rest-refused")).get(4, TimeUnit.MINUTES);
            assertThat(outcome.status()).isEqualTo(Status.FAILED);
            assertThat(outcome.message()).contains("REFUSED snapshot range", "MISSING", "BACKUP_MISSING");
        }
    }

    /** GET of a REST path, waiting out a 503 while the cluster's dispatcher leader is (re)elected. */
    private static JsonNode get(URI rest, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(rest.toString().replaceAll("/?$", "/")).resolve(path))
                .GET().build();
        HttpResponse<String> response = await("GET " + path + " answered").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).until(
                        () -> HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()),
                        r -> r.statusCode() != 503);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }
}
