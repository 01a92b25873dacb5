package io.imlma.jobs.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imlma.common.config.Settings;
import io.imlma.common.types.RetrainReason;
import io.imlma.common.types.RetrainRequest;
import io.imlma.deploy.CrdSchemaValidator;
import io.imlma.jobs.launch.LaunchOutcome.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesJobRunnerTest {
    private static final String JAR = "https://artifacts.example.org/imlma/imlma-jobs-0.1.0-SNAPSHOT-job.jar";

    @TempDir
    Path dir;

    private LauncherConfig config() {
        return LauncherConfig.from(new Settings(Map.of(
                LauncherConfig.MODE, "kubernetes",
                LauncherConfig.JAR, JAR,
                LauncherConfig.K8S_OUTPUT_DIR, dir.toString(),
                LauncherConfig.K8S_DEPLOYMENT, "imlma-session",
                LauncherConfig.K8S_NAMESPACE, "imlma",
                LauncherConfig.PARALLELISM, "3",
                "snapshot.path", "hdfs://nn:8020/imlma/snapshots/features",
                "registry.url", "jdbc:mysql://mysql:3306/imlma",
                "kafka.bootstrap.servers", "kafka:9092")));
    }

    @Test
    void writesAFlinkSessionJobForTheRequest() throws Exception {
        RetrainRequest request = new RetrainRequest("load-forecast/2024-01-05T00:00Z#VOLUME", "load-forecast",
                RetrainReason.VOLUME, 1_704_153_600_000L, 1_704_412_800_000L, 1000, 288, 1_704_412_800_000L);
        LaunchOutcome outcome;
        try (RetrainLauncher launcher = config().create()) {
            outcome = launcher.launch(request).get(1, TimeUnit.MINUTES);
        }

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(Status.SUBMITTED);
        Path file = Path.of(outcome.results().get("resource"));
        assertThat(file).exists().hasParent(dir);
        assertThat(outcome.message()).contains(file.toString());

        JsonNode resource = KubernetesJobRunner.YAML.readTree(Files.readString(file));
        assertThat(resource.path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(resource.path("kind").asText()).isEqualTo("FlinkSessionJob");
        assertThat(CrdSchemaValidator.load().validate(resource)).as("problems against the operator's CRD").isEmpty();
        JsonNode metadata = resource.path("metadata");
        assertThat(metadata.path("name").asText()).isEqualTo(outcome.jobId())
                .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").hasSizeLessThanOrEqualTo(63)
                .startsWith("retrain-load-forecast-2024-01-05t00-00z-volume-");
        assertThat(metadata.path("namespace").asText()).isEqualTo("imlma");
        assertThat(metadata.path("annotations").path(KubernetesJobRunner.REQUEST_ID_ANNOTATION).asText())
                .isEqualTo(request.requestId());
        JsonNode spec = resource.path("spec");
        assertThat(spec.path("deploymentName").asText()).isEqualTo("imlma-session");
        JsonNode job = spec.path("job");
        assertThat(job.path("jarURI").asText()).isEqualTo(JAR);
        assertThat(job.path("entryClass").asText()).isEqualTo(LauncherConfig.DEFAULT_ENTRY);
        assertThat(job.path("parallelism").asInt()).isEqualTo(3);
        assertThat(job.path("upgradeMode").asText()).isEqualTo("stateless");
        List<String> args = new ArrayList<>();
        job.path("args").forEach(a -> args.add(a.asText()));
        assertThat(args).contains("--request-id=" + request.requestId(), "--model=load-forecast",
                "--data-from=1704153600000", "--data-to=1704412800000",
                "--snapshot.path=hdfs://nn:8020/imlma/snapshots/features",
                "--registry.url=jdbc:mysql://mysql:3306/imlma");
        assertThat(args).noneMatch(a -> a.startsWith("--kafka.") || a.startsWith("--launcher."));
        // the job reads its arguments back with Settings
        Settings jobSettings = Settings.fromArgs(args.toArray(String[]::new));
        assertThat(jobSettings.string(RetrainJobSpec.REQUEST_ID)).isEqualTo(request.requestId());
        assertThat(jobSettings.longValue(RetrainJobSpec.DATA_TO, 0)).isEqualTo(request.dataTo());
    }

    @Test
    void namesAreValidStableAndDistinct() {
        String a = KubernetesJobRunner.resourceName("Req_1");
        assertThat(a).isEqualTo(KubernetesJobRunner.resourceName("Req_1"))
                .isNotEqualTo(KubernetesJobRunner.resourceName("req-1"));
        String longId = "x".repeat(300) + "/€";
        assertThat(KubernetesJobRunner.resourceName(longId)).hasSizeLessThanOrEqualTo(63)
                .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        assertThat(KubernetesJobRunner.resourceName("€€")).matches("retrain-[0-9a-f]{12}");
    }
}
