package io.imlma.jobs.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalDouble;

/** Reads a sample from a Flink process's Prometheus reporter endpoint ({@code /metrics}, text format). */
final class Prometheus {
    private Prometheus() {}

    static String scrape(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("Prometheus endpoint :" + port + " answered " + response.statusCode());
        }
        return response.body();
    }

    /** The sum of the samples of {@code metric} whose labels contain {@code label} (e.g. operator_name="x"). */
    static OptionalDouble sum(String scrape, String metric, String label) {
        double[] samples = scrape.lines()
                .filter(line -> line.startsWith(metric + "{") && line.contains(label))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .toArray();
        return samples.length == 0 ? OptionalDouble.empty() : OptionalDouble.of(Arrays.stream(samples).sum());
    }
}
