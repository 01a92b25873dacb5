package io.imlma.jobs.launch;

import com.fasterxml.jackson.databind.JsonNode;
import io.imlma.common.json.Json;
import io.imlma.jobs.launch.LaunchOutcome.Status;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the job on a Flink session cluster through its REST API (the one behind the web UI): uploads the job jar
 * unless a jar of the same file name is there already ({@code GET /jars}, {@code POST /jars/upload}), runs it
 * ({@code POST /jars/:jarid/run} with the spec's entry class and arguments), then polls {@code GET /jobs/:jobid}
 * until the job is FINISHED, FAILED or CANCELED or the timeout passes, and reads the job's accumulators.
 */
public final class FlinkRestJobRunner implements JobRunner {
    public static final String MODE = "flink-rest";
    private static final Logger LOG = LoggerFactory.getLogger(FlinkRestJobRunner.class);

    /** How long a REST endpoint without a leader is waited for before a request fails. */
    private static final Duration LEADER_WAIT = Duration.ofMinutes(1);

    private final URI address;
    private final Path jar;
    private final Duration pollInterval;
    private final Duration timeout;
    private final HttpClient http;

    public FlinkRestJobRunner(URI address, Path jar, Duration pollInterval, Duration timeout) {
        String base = address.toString();
        this.address = URI.create(base.endsWith("/") ? base : base + "/");
        this.jar = jar;
        this.pollInterval = pollInterval;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    public String mode() {
        return MODE;
    }

    @Override
    public LaunchOutcome run(RetrainJobSpec spec, long startedAt) throws Exception {
        String jarId = uploadedJar();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entryClass", spec.entryClass());
        body.put("programArgsList", spec.programArgs());
        body.put("parallelism", spec.parallelism());
        JsonNode run = send(HttpRequest.newBuilder(resolve("jars/" + jarId + "/run"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))), "run " + spec.entryClass());
        String jobId = run.path("jobid").asText();
        LOG.info("Request {}: job {} submitted to {}", spec.requestId(), jobId, address);

        long deadline = System.nanoTime() + timeout.toNanos();
        String state = state(jobId);
        while (!terminal(state)) {
            if (System.nanoTime() - deadline > 0) {
                return outcome(spec, jobId, Status.TIMED_OUT, startedAt,
                        "still " + state + " after " + timeout + "; the job keeps running on the cluster", Map.of());
            }
            Thread.sleep(pollInterval.toMillis());
            state = state(jobId);
        }
        return switch (state) {
            case "FINISHED" -> {
                Map<String, String> results = accumulators(jobId);
                yield outcome(spec, jobId, Status.SUCCEEDED, startedAt, "finished, results " + results, results);
            }
            case "CANCELED" -> outcome(spec, jobId, Status.CANCELED, startedAt, "canceled on the cluster", Map.of());
            default -> outcome(spec, jobId, Status.FAILED, startedAt, state + ": " + rootException(jobId), Map.of());
        };
    }

    /** The id of the job jar on the cluster, uploading it only when no jar of that file name is there. */
    synchronized String uploadedJar() throws IOException, InterruptedException {
        String name = jar.getFileName().toString();
        for (JsonNode file : send(HttpRequest.newBuilder(resolve("jars")).GET(), "list jars").path("files")) {
            if (name.equals(file.path("name").asText())) {
                return file.path("id").asText();
            }
        }
        String boundary = "imlma-" + UUID.randomUUID();
        JsonNode uploaded = send(HttpRequest.newBuilder(resolve("jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, name))), "upload " + jar);
        String path = uploaded.path("filename").asText();
        LOG.info("Uploaded {} to {} as {}", jar, address, path);
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private byte[] multipart(String boundary, String fileName) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"jarfile\"; filename=\"" + fileName + "\"\r\n"
                + "Content-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(Files.readAllBytes(jar));
        out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private String state(String jobId) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(resolve("jobs/" + jobId)).GET(), "job " + jobId).path("state").asText();
    }

    private static boolean terminal(String state) {
        return state.equals("FINISHED") || state.equals("FAILED") || state.equals("CANCELED");
    }

    private Map<String, String> accumulators(String jobId) throws IOException, InterruptedException {
        Map<String, String> results = new LinkedHashMap<>();
        JsonNode body = send(HttpRequest.newBuilder(resolve("jobs/" + jobId + "/accumulators")).GET(),
                "accumulators of " + jobId);
        for (JsonNode accumulator : body.path("user-task-accumulators")) {
            results.put(accumulator.path("name").asText(), accumulator.path("value").asText());
        }
        return results;
    }

    private String rootException(String jobId) throws IOException, InterruptedException {
        JsonNode body = send(HttpRequest.newBuilder(resolve("jobs/" + jobId + "/exceptions")).GET(),
                "exceptions of " + jobId);
        JsonNode latest = body.path("exceptionHistory").path("entries").path(0);
        String trace = latest.isMissingNode() ? body.path("root-exception").asText("") : latest.path("stacktrace").asText();
        return causes(trace);
    }

    private JsonNode send(HttpRequest.Builder request, String what) throws IOException, InterruptedException {
        HttpRequest built = request.timeout(Duration.ofMinutes(2)).build();
        HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
        // 503: the REST endpoint has no leader yet (a JobManager starting or failing over) and handled nothing
        long deadline = System.nanoTime() + LEADER_WAIT.toNanos();
        while (response.statusCode() == 503 && System.nanoTime() < deadline) {
            LOG.info("{}: {} answered 503 (no leader yet); asking again", what, built.uri());
            Thread.sleep(pollInterval.toMillis());
            response = http.send(built, HttpResponse.BodyHandlers.ofString());
        }
        JsonNode body = response.body().isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(response.body());
        if (response.statusCode() / 100 != 2) {
            List<String> errors = new ArrayList<>();
            body.path("errors").forEach(error -> errors.add(causes(error.asText())));
            throw new IOException(what + " failed at " + request.build().uri() + ": HTTP " + response.statusCode()
                    + " " + String.join("; ", errors));
        }
        return body;
    }

    /** The first line and the "Caused by" lines of a Java stack trace: the causes without the frames. */
    static String causes(String stackTrace) {
        List<String> lines = new ArrayList<>();
        for (String line : stackTrace.split("\\R")) {
            if (lines.isEmpty() && !line.isBlank()) {
                lines.add(line.strip());
            } else if (line.startsWith("Caused by: ")) {
                lines.add(line.strip());
            }
        }
        return String.join(" <- ", lines);
    }

    private URI resolve(String path) {
        return address.resolve(path);
    }

    private LaunchOutcome outcome(RetrainJobSpec spec, String jobId, Status status, long startedAt, String message,
            Map<String, String> results) {
        return new LaunchOutcome(spec.requestId(), MODE, jobId, status, startedAt, System.currentTimeMillis(),
                message, results);
    }
}
