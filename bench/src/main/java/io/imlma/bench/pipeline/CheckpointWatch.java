package io.imlma.bench.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.imlma.common.json.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Follows the checkpoints of the one job on a local cluster through its REST API ({@code /jobs/<id>/checkpoints}),
 * polled while the job runs: the local cluster, and its statistics, are gone when {@code execute} returns.
 */
public final class CheckpointWatch implements AutoCloseable {
    private static final Duration POLL = Duration.ofSeconds(1);

    /**
     * The checkpoints seen.
     *
     * @param completed    checkpoints completed
     * @param stateBytes   full state size of the latest completed one (all of it, not the incremental upload)
     * @param avgDurationMs mean end-to-end duration of the completed ones
     * @param maxDurationMs longest end-to-end duration
     */
    public record Stats(long completed, long stateBytes, long avgDurationMs, long maxDurationMs) {
        static final Stats NONE = new Stats(0, 0, 0, 0);
    }

    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicReference<Stats> last = new AtomicReference<>(Stats.NONE);
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "checkpoint-watch");
        t.setDaemon(true);
        return t;
    });

    private CheckpointWatch(int port) {
        this.port = port;
    }

    /** A watch on the local cluster whose REST endpoint binds {@link #port()}; polls until closed. */
    static CheckpointWatch start() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        CheckpointWatch watch = new CheckpointWatch(port);
        watch.poller.scheduleWithFixedDelay(watch::poll, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
        return watch;
    }

    /** The port for the local cluster's {@code rest.bind-port}. */
    int port() {
        return port;
    }

    Stats stats() {
        return last.get();
    }

    private void poll() {
        try {
            JsonNode jobs = get("/jobs/overview").path("jobs");
            // an initializing job has no checkpoint statistics yet, and asking makes the handler log an error
            if (jobs.isEmpty() || !jobs.get(0).path("state").asText().equals("RUNNING")) {
                return;
            }
            JsonNode checkpoints = get("/jobs/" + jobs.get(0).path("jid").asText() + "/checkpoints");
            long completed = checkpoints.path("counts").path("completed").asLong();
            if (completed > 0) {
                JsonNode duration = checkpoints.path("summary").path("end_to_end_duration");
                last.set(new Stats(completed,
                        checkpoints.path("latest").path("completed").path("state_size").asLong(),
                        duration.path("avg").asLong(), duration.path("max").asLong()));
            }
        } catch (IOException e) {
            // not up yet, or already gone: the last figures stand
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).timeout(POLL).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(path + " answered " + response.statusCode());
        }
        return Json.MAPPER.readTree(response.body());
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
