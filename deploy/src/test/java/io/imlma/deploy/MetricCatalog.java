package io.imlma.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/** monitoring/metrics.txt: the metric names rules and dashboards may use, with their type and origin. */
final class MetricCatalog {

    record Metric(String name, String type, String origin, String description) {}

    private MetricCatalog() {}

    static Map<String, Metric> load() {
        Map<String, Metric> metrics = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(RepoFiles.resolve("monitoring/metrics.txt"))) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] fields = trimmed.split("\\s+", 4);
                if (fields.length < 4) {
                    throw new IllegalStateException("metrics.txt: expected <name> <type> <origin> <description>: " + line);
                }
                Metric metric = new Metric(fields[0], fields[1], fields[2], fields[3]);
                if (metrics.put(metric.name(), metric) != null) {
                    throw new IllegalStateException("metrics.txt lists " + metric.name() + " twice");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return metrics;
    }
}
