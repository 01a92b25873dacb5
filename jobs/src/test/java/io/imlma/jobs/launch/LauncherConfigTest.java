package io.imlma.jobs.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imlma.common.config.ConfigException;
import io.imlma.common.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherConfigTest {
    private static final String MODE = LauncherConfig.MODE.key();
    private static final String LEDGER = LauncherConfig.LEDGER.key();
    private static void assertRefused(Map<String, String> settings, String setting, String problem) {
        assertThatThrownBy(() -> LauncherConfig.from(new Settings(settings)))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).setting()).isEqualTo(setting))
                .hasMessageContaining(problem);
    }

    @Test
    void localIsTheDefaultWithThePlaceholderJob() {
        LauncherConfig config = LauncherConfig.from(new Settings(Map.of("snapshot.path", "file:///s")));
        assertThat(config.mode()).isEqualTo(LauncherConfig.Mode.LOCAL);
        assertThat(config.runner()).isInstanceOf(LocalJobRunner.class);
        assertThat(config.entryClass()).isEqualTo("io.imlma.jobs.RetrainJob");
        assertThat(config.jobSettings()).containsExactly(Map.entry("snapshot.path", "file:///s"));
        assertThat(config.ledger()).isEqualTo(LauncherConfig.Ledger.MEMORY);
    }

    @Test
    void theRetrainJobGetsEverySettingItReadsAndNothingElse() {
        Map<String, String> streaming = Map.of("snapshot.path", "file:///s", "registry.jdbc-url", "jdbc:h2:mem:r",
                "model.store.path", "file:///m", "training.model", "mlp", "tuning.trials", "4", "forecast.input-length", "24",
                "replacement.rule", "PAPER", "kafka.topic.readings", "readings", "checkpoint.interval", "1s");
        assertThat(LauncherConfig.from(new Settings(streaming)).jobSettings()).containsOnlyKeys("snapshot.path",
                "registry.jdbc-url", "model.store.path", "training.model", "tuning.trials", "forecast.input-length",
                "replacement.rule");
    }

    @Test
    void flinkClientRunsTheDriverHereAndTheJobsOnTheSessionCluster(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("job.jar"));
        LauncherConfig config = LauncherConfig.from(new Settings(Map.of(MODE, "flink-client",
                LauncherConfig.REST_ADDRESS.key(), "http://jm:8081", LauncherConfig.JAR.key(), jar.toString())));
        assertThat(config.mode()).isEqualTo(LauncherConfig.Mode.FLINK_CLIENT);
        assertThat(config.restAddress()).hasHost("jm").hasPort(8081);
        assertThat(config.runner().mode()).isEqualTo("flink-client");
    }

    @Test
    void kubernetesWritesJobsWithTheRepositorysImageConfigMapAndSecretUnlessSet(@TempDir Path dir) {
        LauncherConfig defaults = LauncherConfig.from(new Settings(Map.of(MODE, "kubernetes",
                LauncherConfig.K8S_OUTPUT_DIR.key(), dir.toString())));
        assertThat(defaults.k8sPod()).isEqualTo(new KubernetesJobRunner.Pod("imlma/flink:0.1.0", "imlma-job-config",
                "imlma-registry-credentials"));
        assertThat(defaults.k8sNamespace()).isNull();
        assertThat(defaults.runner().mode()).isEqualTo("kubernetes");

        LauncherConfig set = LauncherConfig.from(new Settings(Map.of(MODE, "kubernetes",
                LauncherConfig.K8S_OUTPUT_DIR.key(), dir.toString(), LauncherConfig.K8S_NAMESPACE.key(), "imlma",
                LauncherConfig.K8S_IMAGE.key(), "registry.example.org/imlma/flink@sha256:0123abcd",
                LauncherConfig.K8S_CONFIG_MAP.key(), "imlma.prod-config", LauncherConfig.K8S_REGISTRY_SECRET.key(), "registry")));
        assertThat(set.k8sPod()).isEqualTo(new KubernetesJobRunner.Pod(
                "registry.example.org/imlma/flink@sha256:0123abcd", "imlma.prod-config", "registry"));
        assertThat(set.k8sNamespace()).isEqualTo("imlma");
    }

    @Test
    void incompleteSettingsAreNamed() {
        assertRefused(Map.of(MODE, "yarn"), MODE, "[flink-client, flink-rest, kubernetes, local]");
        assertRefused(Map.of(LEDGER, "disk"), LEDGER, "[memory, registry]");
        assertRefused(Map.of(MODE, "flink-rest"), LauncherConfig.REST_ADDRESS.key(), "required");
        assertRefused(Map.of(MODE, "flink-rest", LauncherConfig.REST_ADDRESS.key(), "jm:8081"),
                LauncherConfig.REST_ADDRESS.key(), "http");
        assertRefused(Map.of(MODE, "flink-rest", LauncherConfig.REST_ADDRESS.key(), "http://jm:8081"),
                LauncherConfig.JAR.key(), "required");
        assertRefused(Map.of(MODE, "flink-rest", LauncherConfig.REST_ADDRESS.key(), "http://jm:8081",
                LauncherConfig.JAR.key(), "/no/such/job.jar"), LauncherConfig.JAR.key(), "no such file");
        assertRefused(Map.of(MODE, "flink-client"), LauncherConfig.REST_ADDRESS.key(), "required");
        assertRefused(Map.of(MODE, "flink-client", LauncherConfig.REST_ADDRESS.key(), "jm:8081"),
                LauncherConfig.REST_ADDRESS.key(), "http");
        assertRefused(Map.of(MODE, "flink-client", LauncherConfig.REST_ADDRESS.key(), "http://jm"),
                LauncherConfig.REST_ADDRESS.key(), "http://host:port");
        assertRefused(Map.of(MODE, "flink-client", LauncherConfig.REST_ADDRESS.key(), "https://jm:8081"),
                LauncherConfig.REST_ADDRESS.key(), "security.ssl.rest");
        assertRefused(Map.of(MODE, "flink-client", LauncherConfig.REST_ADDRESS.key(), "http://jm:8081"),
                LauncherConfig.JAR.key(), "required");
        assertRefused(Map.of(MODE, "flink-client", LauncherConfig.REST_ADDRESS.key(), "http://jm:8081",
                LauncherConfig.JAR.key(), "/no/such/job.jar"), LauncherConfig.JAR.key(), "no such file");
        assertRefused(Map.of(MODE, "flink-client", LauncherConfig.REST_ADDRESS.key(), "http://jm:8081",
                LauncherConfig.ENTRY_CLASS.key(), "java.lang.String"), LauncherConfig.ENTRY_CLASS.key(), "does not implement");
        assertRefused(Map.of(MODE, "kubernetes"), LauncherConfig.K8S_OUTPUT_DIR.key(), "required");
        assertRefused(Map.of(MODE, "kubernetes", LauncherConfig.K8S_OUTPUT_DIR.key(), "/tmp/k8s",
                LauncherConfig.K8S_IMAGE.key(), "imlma/flink 0.1.0"), LauncherConfig.K8S_IMAGE.key(), "image reference");
        assertRefused(Map.of(MODE, "kubernetes", LauncherConfig.K8S_OUTPUT_DIR.key(), "/tmp/k8s",
                LauncherConfig.K8S_CONFIG_MAP.key(), "Imlma_Config"), LauncherConfig.K8S_CONFIG_MAP.key(), "Kubernetes name");
        assertRefused(Map.of(MODE, "kubernetes", LauncherConfig.K8S_OUTPUT_DIR.key(), "/tmp/k8s",
                LauncherConfig.K8S_REGISTRY_SECRET.key(), "-registry"), LauncherConfig.K8S_REGISTRY_SECRET.key(),
                "Kubernetes name");
        assertRefused(Map.of(MODE, "kubernetes", LauncherConfig.K8S_OUTPUT_DIR.key(), "/tmp/k8s",
                LauncherConfig.K8S_NAMESPACE.key(), "imlma.prod"), LauncherConfig.K8S_NAMESPACE.key(), "at most 63");
        assertRefused(Map.of(MODE, "kubernetes", LauncherConfig.K8S_OUTPUT_DIR.key(), "/tmp/k8s",
                LauncherConfig.ENTRY_CLASS.key(), "io.imlma.jobs.NoSuchJob"), LauncherConfig.ENTRY_CLASS.key(), "class not found");
        assertRefused(Map.of(LauncherConfig.ENTRY_CLASS.key(), "io.imlma.jobs.NoSuchJob"), LauncherConfig.ENTRY_CLASS.key(),
                "class not found");
        assertRefused(Map.of(LauncherConfig.ENTRY_CLASS.key(), "java.lang.String"), LauncherConfig.ENTRY_CLASS.key(),
                "does not implement");
        assertRefused(Map.of(LauncherConfig.PARALLELISM.key(), "0"), LauncherConfig.PARALLELISM.key(), "at least 1");
    }
}
