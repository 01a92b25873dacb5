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
                "model.store.path", "file:///m", "training.model", "mlp", "tuning.trials", "4", "features.lags", "24",
                "replacement.rule", "PAPER", "kafka.topic.readings", "readings", "checkpoint.interval", "1s");
        assertThat(LauncherConfig.from(new Settings(streaming)).jobSettings()).containsOnlyKeys("snapshot.path",
                "registry.jdbc-url", "model.store.path", "training.model", "tuning.trials", "features.lags",
                "replacement.rule");
    }

    @Test
    void flinkClientRunsTheDriverHereAndTheJobsOnTheSessionCluster(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("job.jar"));
        LauncherConfig config = LauncherConfig.from(new Settings(Map.of(LauncherConfig.MODE, "flink-client",
                LauncherConfig.REST_ADDRESS, "http://jm:8081", LauncherConfig.JAR, jar.toString())));
        assertThat(config.mode()).isEqualTo(LauncherConfig.Mode.FLINK_CLIENT);
        assertThat(config.restAddress()).hasHost("jm").hasPort(8081);
        assertThat(config.runner().mode()).isEqualTo("flink-client");
    }

    @Test
    void kubernetesWritesJobsWithTheRepositorysImageConfigMapAndSecretUnlessSet(@TempDir Path dir) {
        LauncherConfig defaults = LauncherConfig.from(new Settings(Map.of(LauncherConfig.MODE, "kubernetes",
                LauncherConfig.K8S_OUTPUT_DIR, dir.toString())));
        assertThat(defaults.k8sPod()).isEqualTo(new KubernetesJobRunner.Pod("imlma/flink:0.1.0", "imlma-job-config",
                "imlma-registry-credentials"));
        assertThat(defaults.k8sNamespace()).isNull();
        assertThat(defaults.runner().mode()).isEqualTo("kubernetes");

        LauncherConfig set = LauncherConfig.from(new Settings(Map.of(LauncherConfig.MODE, "kubernetes",
                LauncherConfig.K8S_OUTPUT_DIR, dir.toString(), LauncherConfig.K8S_NAMESPACE, "imlma",
                LauncherConfig.K8S_IMAGE, "registry.example.org/imlma/flink@sha256:0123abcd",
                LauncherConfig.K8S_CONFIG_MAP, "imlma.prod-config", LauncherConfig.K8S_REGISTRY_SECRET, "registry")));
        assertThat(set.k8sPod()).isEqualTo(new KubernetesJobRunner.Pod(
                "registry.example.org/imlma/flink@sha256:0123abcd", "imlma.prod-config", "registry"));
        assertThat(set.k8sNamespace()).isEqualTo("imlma");
    }

    @Test
    void incompleteSettingsAreNamed() {
        assertRefused(Map.of(LauncherConfig.MODE, "yarn"), LauncherConfig.MODE, "[flink-client, flink-rest, kubernetes, local]");
        assertRefused(Map.of(LauncherConfig.LEDGER, "disk"), LauncherConfig.LEDGER, "[memory, registry]");
        assertRefused(Map.of(LauncherConfig.MODE, "flink-rest"), LauncherConfig.REST_ADDRESS, "required");
        assertRefused(Map.of(LauncherConfig.MODE, "flink-rest", LauncherConfig.REST_ADDRESS, "jm:8081"),
                LauncherConfig.REST_ADDRESS, "http");
        assertRefused(Map.of(LauncherConfig.MODE, "flink-rest", LauncherConfig.REST_ADDRESS, "http://jm:8081"),
                LauncherConfig.JAR, "required");
        assertRefused(Map.of(LauncherConfig.MODE, "flink-rest", LauncherConfig.REST_ADDRESS, "http://jm:8081",
                LauncherConfig.JAR, "/no/such/job.jar"), LauncherConfig.JAR, "no such file");
        assertRefused(Map.of(LauncherConfig.MODE, "flink-client"), LauncherConfig.REST_ADDRESS, "required");
        assertRefused(Map.of(LauncherConfig.MODE, "flink-client", LauncherConfig.REST_ADDRESS, "jm:8081"),
                LauncherConfig.REST_ADDRESS, "http");
        assertRefused(Map.of(LauncherConfig.MODE, "flink-client", LauncherConfig.REST_ADDRESS, "http://jm"),
                LauncherConfig.REST_ADDRESS, "http://host:port");
        assertRefused(Map.of(LauncherConfig.MODE, "flink-client", LauncherConfig.REST_ADDRESS, "https://jm:8081"),
                LauncherConfig.REST_ADDRESS, "security.ssl.rest");
        assertRefused(Map.of(LauncherConfig.MODE, "flink-client", LauncherConfig.REST_ADDRESS, "http://jm:8081"),
                LauncherConfig.JAR, "required");
        assertRefused(Map.of(LauncherConfig.MODE, "flink-client", LauncherConfig.REST_ADDRESS, "http://jm:8081",
                LauncherConfig.JAR, "/no/such/job.jar"), LauncherConfig.JAR, "no such file");
        assertRefused(Map.of(LauncherConfig.MODE, "flink-client", LauncherConfig.REST_ADDRESS, "http://jm:8081",
                LauncherConfig.ENTRY_CLASS, "java.lang.String"), LauncherConfig.ENTRY_CLASS, "does not implement");
        assertRefused(Map.of(LauncherConfig.MODE, "kubernetes"), LauncherConfig.K8S_OUTPUT_DIR, "required");
        assertRefused(Map.of(LauncherConfig.MODE, "kubernetes", LauncherConfig.K8S_OUTPUT_DIR, "/tmp/k8s",
                LauncherConfig.K8S_IMAGE, "imlma/flink 0.1.0"), LauncherConfig.K8S_IMAGE, "image reference");
        assertRefused(Map.of(LauncherConfig.MODE, "kubernetes", LauncherConfig.K8S_OUTPUT_DIR, "/tmp/k8s",
                LauncherConfig.K8S_CONFIG_MAP, "Imlma_Config"), LauncherConfig.K8S_CONFIG_MAP, "Kubernetes name");
        assertRefused(Map.of(LauncherConfig.MODE, "kubernetes", LauncherConfig.K8S_OUTPUT_DIR, "/tmp/k8s",
                LauncherConfig.K8S_REGISTRY_SECRET, "-registry"), LauncherConfig.K8S_REGISTRY_SECRET,
                "Kubernetes name");
        assertRefused(Map.of(LauncherConfig.MODE, "kubernetes", LauncherConfig.K8S_OUTPUT_DIR, "/tmp/k8s",
                LauncherConfig.K8S_NAMESPACE, "imlma.prod"), LauncherConfig.K8S_NAMESPACE, "at most 63");
        assertRefused(Map.of(LauncherConfig.MODE, "kubernetes", LauncherConfig.K8S_OUTPUT_DIR, "/tmp/k8s",
                LauncherConfig.ENTRY_CLASS, "io.imlma.jobs.NoSuchJob"), LauncherConfig.ENTRY_CLASS, "class not found");
        assertRefused(Map.of(LauncherConfig.ENTRY_CLASS, "io.imlma.jobs.NoSuchJob"), LauncherConfig.ENTRY_CLASS,
                "class not found");
        assertRefused(Map.of(LauncherConfig.ENTRY_CLASS, "java.lang.String"), LauncherConfig.ENTRY_CLASS,
                "does not implement");
        assertRefused(Map.of(LauncherConfig.PARALLELISM, "0"), LauncherConfig.PARALLELISM, "at least 1");
    }
}
