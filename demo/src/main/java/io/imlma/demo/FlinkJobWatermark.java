package io.imlma.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.imlma.common.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * The input watermark of one operator of a running job, read from Flink's REST API (the lowest over its subtasks):
 * how far in event time that operator has got.
 */
final class FlinkJobWatermark {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI jobUri;
    private final String vertexNamePart;

    /** @param vertexNamePart a part of the operator's name as the web UI shows it, e.g. {@code preprocess} */
    FlinkJobWatermark(URI restAddress, String jobId, String vertexNamePart) {
        this.jobUri = restAddress.resolve("/jobs/" + jobId);
        this.vertexNamePart = vertexNamePart;
    }

    /** Empty while the operator has no watermark yet (or the REST API does not answer). */
    OptionalLong current() {
        try {
            for (JsonNode vertex : get(jobUri).path("vertices")) {
                if (vertex.path("name").asText().contains(vertexNamePart)) {
                    return lowest(get(URI.create(jobUri + "/vertices/" + vertex.path("id").asText() + "/watermarks")));
                }
            }
            return OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    private static OptionalLong lowest(JsonNode watermarks) {
        long lowest = Long.MAX_VALUE;
        for (JsonNode w : watermarks) {
            if (w.path("id").asText().endsWith("currentInputWatermark")) {
                lowest = Math.min(lowest, w.path("value").asLong(Long.MIN_VALUE));
            }
        }
        // none listed, or Long.MIN_VALUE: a subtask without a watermark yet; Long.MAX_VALUE: the input has ended
        return watermarks.isEmpty() || lowest == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(lowest);
    }

    private JsonNode get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(uri + " answered " + response.statusCode());
        }
        return Json.MAPPER.readTree(response.body());
    }
}
