package io.imlma.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** flink-conf/config.yaml, loaded the way a cluster loads it, holds only keys and values Flink understands. */
class FlinkConfigYamlTest {

    private static FlinkOptionCatalog catalog;
    private static Configuration config;

    @BeforeAll
    static void load() {
        catalog = FlinkOptionCatalog.load();
        Path confDir = RepoFiles.resolve("flink-conf");
        assertThat(confDir.resolve(GlobalConfiguration.FLINK_CONF_FILENAME)).isRegularFile();
        config = GlobalConfiguration.loadConfiguration(confDir.toString());
    }

    @Test
    void catalogueKnowsFlinksOptions() {
        assertThat(catalog.size()).isGreaterThan(500);
        assertThat(catalog.isKnown("execution.checkpointing.interval")).isTrue();
        assertThat(catalog.isKnown("state.checkpoints.dir")).isTrue();
        assertThat(catalog.isDeprecatedOnly("state.checkpoints.dir")).isTrue();
        assertThat(catalog.isKnown("metrics.reporter.prom.factory.class")).isTrue();
        assertThat(catalog.isKnown("metrics.reporter.prom.portt")).isFalse();
    }

    @Test
    void everyKeyIsAFlinkOption() {
        assertThat(config.keySet()).hasSizeGreaterThan(30);
        assertThat(catalog.unknownKeys(config.keySet())).isEmpty();
    }

    @Test
    void usesCurrentKeysNotDeprecatedOnes() {
        assertThat(config.keySet()).noneMatch(catalog::isDeprecatedOnly);
    }

    @Test
    void everyValueParsesAsItsOptionsType() {
        assertThat(catalog.invalidValues(config)).isEmpty();
    }

    @Test
    void rocksDbWithIncrementalExactlyOnceCheckpointsOnHdfs() {
        assertThat(config.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(config.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
        assertThat(config.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE))
                .isEqualTo(CheckpointingMode.EXACTLY_ONCE);
        assertThat(config.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).startsWith("hdfs://");
        assertThat(config.get(CheckpointingOptions.SAVEPOINT_DIRECTORY)).startsWith("hdfs://");
        assertThat(config.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
                .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        Duration interval = config.get(CheckpointingOptions.CHECKPOINTING_INTERVAL);
        Duration timeout = config.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT);
        Duration minPause = config.get(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS);
        assertThat(interval).isPositive();
        assertThat(timeout).isGreaterThan(interval);
        assertThat(minPause).isPositive().isLessThan(interval);
        assertThat(config.get(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER)).isPositive();
        assertThat(config.get(StateRecoveryOptions.LOCAL_RECOVERY)).isTrue();
    }

    @Test
    void restartsWithExponentialBackoff() {
        assertThat(config.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
        assertThat(config.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF))
                .isGreaterThan(config.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF));
    }

    @Test
    void prometheusReporterOnItsPortWithALoadableFactory() throws Exception {
        String factory = config.getString("metrics.reporter.prom.factory.class", null);
        assertThat(factory).isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        assertThat(MetricReporterFactory.class.isAssignableFrom(Class.forName(factory))).isTrue();
        assertThat(config.getString("metrics.reporter.prom.port", null)).isEqualTo(String.valueOf(Ports.FLINK_PROMETHEUS));
    }

    @Test
    void misspeltKeyIsReportedWithTheIntendedOne(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(GlobalConfiguration.FLINK_CONF_FILENAME), String.join("\n",
                "execution:",
                "  checkpointing:",
                "    intervall: 60 s",
                "state.backend.type: rocksdb",
                "metrics.reporter.prom.prot: 9249",
                ""));
        Configuration misspelt = GlobalConfiguration.loadConfiguration(dir.toString());

        List<String> problems = catalog.unknownKeys(misspelt.keySet());

        assertThat(problems).containsExactly(
                "unknown Flink configuration key 'execution.checkpointing.intervall'"
                        + " (did you mean 'execution.checkpointing.interval'?)",
                "unknown Flink configuration key 'metrics.reporter.prom.prot'"
                        + " (did you mean 'metrics.reporter.prom.port'?)");
    }

    @Test
    void badValueIsReported(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(GlobalConfiguration.FLINK_CONF_FILENAME),
                "execution.checkpointing.timeout: ten minutes\nexecution.checkpointing.incremental: yes please\n");
        Configuration bad = GlobalConfiguration.loadConfiguration(dir.toString());

        assertThat(catalog.invalidValues(bad))
                .hasSize(2)
                .anySatisfy(problem -> assertThat(problem).startsWith("'execution.checkpointing.timeout'"))
                .anySatisfy(problem -> assertThat(problem).startsWith("'execution.checkpointing.incremental'"));
    }
}
