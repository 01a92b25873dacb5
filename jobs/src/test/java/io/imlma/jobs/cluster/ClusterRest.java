package io.imlma.jobs.cluster;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imlma.common.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;

/** The calls of Flink's REST API the cluster tests make: jar upload and run, job state, stop with a savepoint. */
final class ClusterRest {
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    private final URI rest;
    private final HttpClient http = HttpClient.newHttpClient();

    ClusterRest(URI rest) {
        this.rest = rest;
    }

    /** {@code POST /jars/upload} (multipart, field {@code jarfile}); returns the jar id for {@code /jars/{id}/run}. */
    String uploadJar(Path jar) throws Exception {
        String boundary = "imlma-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode answer = send(HttpRequest.newBuilder(rest.resolve("jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        String file = answer.path("filename").asText();
        return Path.of(file).getFileName().toString();
    }

    /** {@code POST /jars/{id}/run}; returns the job id. {@code savepointPath} may be null. */
    String runJar(String jarId, String entryClass, List<String> programArgs, String savepointPath) throws Exception {
        ObjectNode request = Json.MAPPER.createObjectNode().put("entryClass", entryClass);
        programArgs.forEach(request.putArray("programArgsList")::add);
        if (savepointPath != null) {
            request.put("savepointPath", savepointPath).put("allowNonRestoredState", false);
        }
        return post("jars/" + jarId + "/run", request).path("jobid").asText();
    }

    JsonNode get(String path) throws Exception {
        return send(HttpRequest.newBuilder(rest.resolve(path)).GET());
    }

    JsonNode post(String path, JsonNode body) throws Exception {
        return send(HttpRequest.newBuilder(rest.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body))));
    }

    /** Polls {@code GET /jobs/{id}} until {@code condition} holds; fails after {@code timeout} with the last answer. */
    JsonNode awaitJob(String jobId, Predicate<JsonNode> condition, Duration timeout, String what) {
        return await("job " + jobId + " " + what).atMost(timeout).pollInterval(POLL_INTERVAL)
                .until(() -> get("jobs/" + jobId), condition);
    }

    /** The job runs and so does every one of its tasks (a job is RUNNING before its tasks are deployed). */
    static boolean allTasksRunning(JsonNode job) {
        return "RUNNING".equals(job.path("state").asText()) && job.path("vertices").size() > 0
                && StreamSupport.stream(job.path("vertices").spliterator(), false)
                        .allMatch(v -> "RUNNING".equals(v.path("status").asText()));
    }

    static List<String> vertexNames(JsonNode job) {
        return StreamSupport.stream(job.path("vertices").spliterator(), false)
                .map(v -> v.path("name").asText()).toList();
    }

    /**
     * {@code POST /jobs/{id}/stop} without draining (windows stay open in the savepoint) and polls the trigger until
     * the savepoint is complete; returns its location.
     */
    String stopWithSavepoint(String jobId, String targetDirectory, Duration timeout) throws Exception {
        String trigger = post("jobs/" + jobId + "/stop", Json.MAPPER.createObjectNode().put("drain", false)
                .put("targetDirectory", targetDirectory)).path("request-id").asText();
        JsonNode operation = await("savepoint of " + jobId + " complete").atMost(timeout).pollInterval(POLL_INTERVAL)
                .until(() -> get("jobs/" + jobId + "/savepoints/" + trigger),
                        status -> "COMPLETED".equals(status.path("status").path("id").asText()))
                .path("operation");
        if (operation.has("failure-cause")) {
            throw new AssertionError("stop with savepoint failed: " + operation.path("failure-cause"));
        }
        return operation.path("location").asText();
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError(request.build().method() + " " + request.build().uri() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        return Json.MAPPER.readTree(response.body());
    }
}
