package io.imlma.deploy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.text.similarity.LevenshteinDistance;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.MetricOptions;

/**
 * The configuration keys Flink 1.20 documents, collected from the {@link ConfigOption} constants of its option
 * classes (primary keys plus fallback and deprecated keys), and the per-reporter pattern
 * {@code metrics.reporter.<name>.<option>}.
 */
final class FlinkOptionCatalog {

    /** Option classes whose keys a cluster's config.yaml or a FlinkDeployment's flinkConfiguration may use. */
    static final List<String> OPTION_CLASSES = List.of(
            // flink-core
            "org.apache.flink.configuration.AlgorithmOptions",
            "org.apache.flink.configuration.BatchExecutionOptions",
            "org.apache.flink.configuration.BlobServerOptions",
            "org.apache.flink.configuration.CheckpointingOptions",
            "org.apache.flink.configuration.CleanupOptions",
            "org.apache.flink.configuration.ClusterOptions",
            "org.apache.flink.configuration.CoreOptions",
            "org.apache.flink.configuration.DeploymentOptions",
            "org.apache.flink.configuration.ExecutionOptions",
            "org.apache.flink.configuration.ExternalResourceOptions",
            "org.apache.flink.configuration.HeartbeatManagerOptions",
            "org.apache.flink.configuration.HighAvailabilityOptions",
            "org.apache.flink.configuration.HistoryServerOptions",
            "org.apache.flink.configuration.JMXServerOptions",
            "org.apache.flink.configuration.JobEventStoreOptions",
            "org.apache.flink.configuration.JobManagerOptions",
            "org.apache.flink.configuration.MetricOptions",
            "org.apache.flink.configuration.NettyShuffleEnvironmentOptions",
            "org.apache.flink.configuration.PipelineOptions",
            "org.apache.flink.configuration.QueryableStateOptions",
            "org.apache.flink.configuration.ResourceManagerOptions",
            "org.apache.flink.configuration.RestartStrategyOptions",
            "org.apache.flink.configuration.RestOptions",
            "org.apache.flink.configuration.RpcOptions",
            "org.apache.flink.configuration.SecurityOptions",
            "org.apache.flink.configuration.SlowTaskDetectorOptions",
            "org.apache.flink.configuration.StateBackendOptions",
            "org.apache.flink.configuration.StateChangelogOptions",
            "org.apache.flink.configuration.StateLatencyTrackOptions",
            "org.apache.flink.configuration.StateRecoveryOptions",
            "org.apache.flink.configuration.TaskManagerOptions",
            "org.apache.flink.configuration.TraceOptions",
            "org.apache.flink.configuration.WebOptions",
            // flink-runtime
            "org.apache.flink.runtime.highavailability.JobResultStoreOptions",
            "org.apache.flink.runtime.jobgraph.SavepointConfigOptions",
            "org.apache.flink.runtime.shuffle.ShuffleServiceOptions",
            // flink-streaming-java (deprecated in 1.20 in favour of CheckpointingOptions, still accepted)
            "org.apache.flink.streaming.api.environment.ExecutionCheckpointingOptions",
            "org.apache.flink.streaming.api.environment.StreamPipelineOptions",
            // flink-statebackend-rocksdb
            "org.apache.flink.contrib.streaming.state.RocksDBOptions",
            "org.apache.flink.contrib.streaming.state.RocksDBConfigurableOptions",
            "org.apache.flink.contrib.streaming.state.RocksDBNativeMetricOptions",
            // flink-metrics-prometheus (push gateway; the pull reporter's only option is its port, below)
            "org.apache.flink.metrics.prometheus.PrometheusPushGatewayReporterOptions");

    /** Options of the Prometheus pull reporter, which has no option class: PrometheusReporterFactory.ARG_PORT. */
    private static final Set<String> PROMETHEUS_REPORTER_OPTIONS = Set.of("port", "filterLabelValueCharacters");

    private static final LevenshteinDistance LEVENSHTEIN = LevenshteinDistance.getDefaultInstance();

    private static final Pattern REPORTER_KEY = Pattern.compile("metrics\\.reporter\\.([A-Za-z0-9_-]+)\\.(.+)");

    private final Map<String, ConfigOption<?>> byPrimaryKey = new HashMap<>();
    private final Map<String, ConfigOption<?>> byDeprecatedKey = new HashMap<>();
    private final Set<String> reporterOptions = new HashSet<>(PROMETHEUS_REPORTER_OPTIONS);

    private FlinkOptionCatalog() {}

    static FlinkOptionCatalog load() {
        FlinkOptionCatalog catalog = new FlinkOptionCatalog();
        for (String className : OPTION_CLASSES) {
            catalog.addOptionsOf(loadClass(className));
        }
        for (ConfigOption<?> option : optionsOf(MetricOptions.class)) {
            // reporter options are declared relative to metrics.reporter.<name>.
            if (option.key().matches("[a-z.]+") && !option.key().startsWith("metrics.")) {
                catalog.reporterOptions.add(option.key());
            }
        }
        return catalog;
    }

    private static Class<?> loadClass(String className) {
        try {
            return Class.forName(className);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Flink option class " + className + " is not on the classpath", e);
        }
    }

    private void addOptionsOf(Class<?> optionClass) {
        for (ConfigOption<?> option : optionsOf(optionClass)) {
            byPrimaryKey.putIfAbsent(option.key(), option);
            for (FallbackKey fallback : option.fallbackKeys()) {
                byDeprecatedKey.putIfAbsent(fallback.getKey(), option);
            }
        }
    }

    private static List<ConfigOption<?>> optionsOf(Class<?> optionClass) {
        List<ConfigOption<?>> options = new ArrayList<>();
        for (Field field : optionClass.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && ConfigOption.class.isAssignableFrom(field.getType())) {
                try {
                    options.add((ConfigOption<?>) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return options;
    }

    int size() {
        return byPrimaryKey.size() + byDeprecatedKey.size();
    }

    /** The option a key sets, through its primary or a fallback/deprecated key. */
    Optional<ConfigOption<?>> option(String key) {
        ConfigOption<?> option = byPrimaryKey.get(key);
        return Optional.ofNullable(option != null ? option : byDeprecatedKey.get(key));
    }

    boolean isKnown(String key) {
        return option(key).isPresent() || isReporterKey(key);
    }

    /** Whether the key is only a fallback or deprecated spelling of another option's key. */
    boolean isDeprecatedOnly(String key) {
        return !byPrimaryKey.containsKey(key) && byDeprecatedKey.containsKey(key);
    }

    boolean isReporterKey(String key) {
        Matcher matcher = REPORTER_KEY.matcher(key);
        return matcher.matches() && reporterOptions.contains(matcher.group(2));
    }

    /** Keys Flink does not know, each with the closest known key as a hint. */
    List<String> unknownKeys(Set<String> keys) {
        List<String> problems = new ArrayList<>();
        for (String key : new TreeSet<>(keys)) {
            if (!isKnown(key)) {
                problems.add("unknown Flink configuration key '" + key + "' (did you mean '" + closestKey(key) + "'?)");
            }
        }
        return problems;
    }

    /** Values that do not parse as their option's type (durations, sizes, enums, booleans, numbers). */
    List<String> invalidValues(Configuration configuration) {
        List<String> problems = new ArrayList<>();
        for (String key : new TreeSet<>(configuration.keySet())) {
            Optional<ConfigOption<?>> option = option(key);
            if (option.isEmpty()) {
                continue;
            }
            try {
                configuration.get(option.get());
            } catch (RuntimeException e) {
                problems.add("'" + key + "': " + e.getMessage());
            }
        }
        return problems;
    }

    private String closestKey(String key) {
        Set<String> candidates = new HashSet<>(byPrimaryKey.keySet());
        candidates.addAll(byDeprecatedKey.keySet());
        Matcher reporterKey = REPORTER_KEY.matcher(key);
        if (reporterKey.matches()) {
            reporterOptions.forEach(option -> candidates.add("metrics.reporter." + reporterKey.group(1) + "." + option));
        }
        return candidates.stream().min(Comparator.comparingInt(candidate -> LEVENSHTEIN.apply(key, candidate))).orElse("");
    }
}
