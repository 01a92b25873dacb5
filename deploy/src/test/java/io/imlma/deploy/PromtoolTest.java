package io.imlma.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** promtool checks the Prometheus configuration and runs the alert rules' unit tests. */
class PromtoolTest {

    private static final String KUBERNETES_SD = "kubernetes_sd_configs";

    private static Path promtool;
    private static Path prometheusDir;

    @BeforeAll
    static void findPromtool() {
        Optional<Path> found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, "promtool")).filter(Files::isExecutable).findFirst();
        assertThat(found).as("promtool is not on the PATH; install Debian's prometheus package"
                + " (apt-get install prometheus; .ci/run does) to check the alert rules").isPresent();
        promtool = found.get();
        prometheusDir = RepoFiles.resolve("monitoring/prometheus");
    }

    record Result(int exitCode, String output) {}

    private static Result promtool(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("promtool finished").isTrue();
        return new Result(process.exitValue(), output);
    }

    @Test
    void rulesAreValid() throws Exception {
        Result result = promtool(prometheusDir.resolve("rules"), "check", "rules", "imlma-alerts.yml");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: 18 rules found");
    }

    @Test
    void ruleUnitTestsPass() throws Exception {
        Result result = promtool(prometheusDir.resolve("rules"), "test", "rules", "imlma-alerts.test.yml",
                "imlma-alerts-model.test.yml");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).containsPattern("(?s)SUCCESS.*SUCCESS");
    }

    @Test
    void ruleUnitTestsCatchAChangedThreshold(@TempDir Path dir) throws Exception {
        Path rules = prometheusDir.resolve("rules");
        String changed = Files.readString(rules.resolve("imlma-alerts.yml")).replace("> 0.05", "> 0.5");
        Files.writeString(dir.resolve("imlma-alerts.yml"), changed);
        Files.copy(rules.resolve("imlma-alerts.test.yml"), dir.resolve("imlma-alerts.test.yml"));

        Result result = promtool(dir, "test", "rules", "imlma-alerts.test.yml");

        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("DeadLetterRateHigh").contains("LateRateHigh");
    }

    @Test
    void localConfigIsValid() throws Exception {
        Result result = promtool(prometheusDir, "check", "config", "prometheus-local.yml");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: 1 rule files found");
    }

    /**
     * Debian's promtool is built without Kubernetes service discovery. Where it rejects kubernetes_sd_configs,
     * the rest of the file (relabelling, rule files, alerting) is checked with file-based discovery in its place.
     */
    @Test
    void kubernetesConfigIsValid(@TempDir Path dir) throws Exception {
        Result result = promtool(prometheusDir, "check", "config", "prometheus.yml");
        if (result.exitCode() != 0 && result.output().contains("field " + KUBERNETES_SD + " not found")) {
            System.out.println("promtool lacks Kubernetes service discovery; checking prometheus.yml with"
                    + " file_sd_configs in place of " + KUBERNETES_SD);
            String config = Files.readString(prometheusDir.resolve("prometheus.yml"))
                    .replace(KUBERNETES_SD + ":\n      - role: pod", "file_sd_configs:\n      - files: [pods.json]");
            assertThat(config).doesNotContain(KUBERNETES_SD);
            Files.writeString(dir.resolve("prometheus.yml"), config);
            Files.createDirectories(dir.resolve("rules"));
            Files.copy(prometheusDir.resolve("rules/imlma-alerts.yml"), dir.resolve("rules/imlma-alerts.yml"));
            result = promtool(dir, "check", "config", "prometheus.yml");
        }
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: 1 rule files found");
    }
}
