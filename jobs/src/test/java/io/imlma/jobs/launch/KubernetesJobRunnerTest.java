package io.imlma.jobs.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.imlma.common.config.Settings;
import io.imlma.common.types.RetrainReason;
import io.imlma.common.types.RetrainRequest;
import io.imlma.jobs.RetrainJob;
import io.imlma.jobs.launch.LaunchOutcome.Status;
import io.imlma.jobs.retrain.RetrainConfig;
import io.imlma.registry.jdbc.RegistryDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesJobRunnerTest {
    /** Kubernetes' own model of a Job; a field it does not know fails the test (see {@link #unknownFields}). */
    private static final ObjectMapper KUBERNETES = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final String PASSWORD = "s3cret-registry-password";
    private static final RetrainRequest REQUEST = new RetrainRequest("load-forecast/2024-01-05T00:00Z#VOLUME",
            "load-forecast", RetrainReason.VOLUME, 1_704_153_600_000L, 1_704_412_800_000L, 1000, 288,
            1_704_412_800_000L);

    @TempDir
    Path dir;

    /** The streaming job's settings (credentials included, as its pod appends them) with the kubernetes launcher. */
    private LauncherConfig config(Map<String, String> launcher) {
        Map<String, String> settings = new HashMap<>(Map.of(
                LauncherConfig.MODE.key(), "kubernetes",
                LauncherConfig.K8S_OUTPUT_DIR.key(), dir.toString(),
                "snapshot.path", "hdfs://nn:8020/imlma/snapshots/features",
                "snapshot.backup-path", "hdfs://backup:8020/imlma/snapshots/features",
                "model.store.path", "hdfs://nn:8020/imlma/models",
                "model.store.backup-path", "hdfs://backup:8020/imlma/models",
                "tuning.trials", "7",
                RegistryDataSource.JDBC_URL.key(), "jdbc:mysql://mysql:3306/imlma",
                RegistryDataSource.USER.key(), "imlma",
                RegistryDataSource.PASSWORD.key(), PASSWORD));
        settings.put("kafka.bootstrap.servers", "kafka:9092");
        settings.putAll(launcher);
        return LauncherConfig.from(new Settings(settings));
    }

    @Test
    void writesAJobThatRunsTheRequestInItsPodFromTheRepositorysTemplate() throws Exception {
        LaunchOutcome outcome;
        try (RetrainLauncher launcher = config(Map.of(LauncherConfig.K8S_NAMESPACE.key(), "imlma")).create()) {
            outcome = launcher.launch(REQUEST).get(1, TimeUnit.MINUTES);
        }
        assertThat(outcome.status()).as(outcome.message()).isEqualTo(Status.SUBMITTED);
        Path file = Path.of(outcome.results().get("resource"));
        assertThat(file).exists().hasParent(dir);
        assertThat(outcome.message()).contains(file.toString());

        Job job = readJob(Files.readString(file));
        assertThat(job.getApiVersion()).isEqualTo("batch/v1");
        assertThat(job.getKind()).isEqualTo("Job");
        assertThat(job.getMetadata().getName()).isEqualTo(outcome.jobId())
                .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").hasSizeLessThanOrEqualTo(63)
                .startsWith("retrain-load-forecast-2024-01-05t00-00z-volume-");
        assertThat(job.getMetadata().getNamespace()).isEqualTo("imlma");
        assertThat(job.getMetadata().getAnnotations())
                .containsExactly(Map.entry(KubernetesJobRunner.REQUEST_ID_ANNOTATION, REQUEST.requestId()));
        assertThat(job.getSpec().getBackoffLimit()).as("a failed run is not retried blindly").isZero();
        assertThat(job.getSpec().getTtlSecondsAfterFinished()).isPositive();

        // the repository's image, ConfigMap and Secret, the main class the build produces
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        Container container = pod.getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("imlma/flink:0.1.0");
        assertThat(container.getCommand()).last().isEqualTo(RetrainJob.class.getName());
        assertThat(container.getCommand()).contains("@/opt/imlma/jvm-options");
        assertThat(configMaps(pod)).containsExactly("imlma-job-config");
        assertThat(secrets(container)).containsOnly("imlma-registry-credentials").hasSize(2);

        // the rest is k8s/retrain-job.yaml's container, as the build copied it
        Job template = readJob(template());
        template.getMetadata().setName(job.getMetadata().getName());
        template.getMetadata().setNamespace("imlma");
        template.getMetadata().setAnnotations(job.getMetadata().getAnnotations());
        template.getSpec().getTemplate().getSpec().getContainers().get(0).setArgs(container.getArgs());
        assertThat(job).isEqualTo(template);
    }

    @Test
    void theArgumentsAreTheRequestsWithTheCredentialsFromTheSecret() throws Exception {
        LauncherConfig config = config(Map.of());
        LaunchOutcome outcome = config.runner().run(config.spec(REQUEST), 0);
        String yaml = Files.readString(Path.of(outcome.results().get("resource")));
        assertThat(yaml).as("the password is never written").doesNotContain(PASSWORD);
        List<String> args = readJob(yaml).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();

        assertThat(args).startsWith("--config", "/opt/imlma/conf/imlma.properties",
                "--registry.user=$(IMLMA_REGISTRY_USER)", "--registry.password=$(IMLMA_REGISTRY_PASSWORD)");
        assertThat(args).contains("--request-id=" + REQUEST.requestId(), "--model=load-forecast",
                "--data-from=1704153600000", "--data-to=1704412800000", "--tuning.trials=7",
                "--registry.jdbc-url=jdbc:mysql://mysql:3306/imlma");
        assertThat(args).noneMatch(a -> a.startsWith("--kafka.") || a.startsWith("--launcher."))
                .filteredOn(a -> a.startsWith("--registry.user") || a.startsWith("--registry.password")).hasSize(2);

        // RetrainJob.main reads them (the configuration file aside, which the ConfigMap fills) as the request's
        List<String> withoutConfigFile = args.subList(2, args.size());
        RetrainConfig read = RetrainConfig.from(Settings.fromArgs(withoutConfigFile.toArray(String[]::new)));
        assertThat(read).isEqualTo(RetrainConfig.from(
                Settings.fromArgs(config.spec(REQUEST).programArgs().toArray(String[]::new))));
        assertThat(read.requestId()).isEqualTo(REQUEST.requestId());
        assertThat(read.range().from()).isEqualTo(REQUEST.dataFrom());
        assertThat(read.range().to()).isEqualTo(REQUEST.dataTo());
        assertThat(read.budget().maxTrials()).isEqualTo(7);
    }

    @Test
    void theSameRequestWritesTheSameJobAndAnotherOneAnother() throws Exception {
        LauncherConfig config = config(Map.of());
        Path first = resource(config.runner().run(config.spec(REQUEST), 1));
        byte[] written = Files.readAllBytes(first);
        Path again = resource(config.runner().run(config.spec(REQUEST), 2));
        assertThat(again).isEqualTo(first);
        assertThat(Files.readAllBytes(again)).isEqualTo(written);

        RetrainRequest other = new RetrainRequest(REQUEST.requestId() + "-2", REQUEST.modelName(), REQUEST.reason(),
                REQUEST.dataFrom(), REQUEST.dataTo(), REQUEST.d0(), REQUEST.deltaD(), REQUEST.requestedAt());
        Path otherFile = resource(config.runner().run(config.spec(other), 3));
        assertThat(otherFile).isNotEqualTo(first);
        assertThat(readJob(Files.readString(otherFile)).getMetadata().getName())
                .isNotEqualTo(readJob(Files.readString(first)).getMetadata().getName());
        RetrainRequest numbered = new RetrainRequest("20240105", REQUEST.modelName(), REQUEST.reason(),
                REQUEST.dataFrom(), REQUEST.dataTo(), REQUEST.d0(), REQUEST.deltaD(), REQUEST.requestedAt());
        Path numberedFile = resource(config.runner().run(config.spec(numbered), 4));
        assertThat(KubernetesJobRunner.YAML.readTree(numberedFile.toFile()).path("metadata").path("annotations")
                .path(KubernetesJobRunner.REQUEST_ID_ANNOTATION).isTextual()).as("annotations are strings").isTrue();
        Files.delete(numberedFile);
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).as("no temporary files left")
                    .containsExactlyInAnyOrder(first.getFileName().toString(), otherFile.getFileName().toString());
        }
    }

    @Test
    void theDeploymentsImageConfigMapAndSecretReplaceTheRepositorys() throws Exception {
        LauncherConfig config = config(Map.of(LauncherConfig.K8S_IMAGE.key(), "registry.example.org/imlma/flink:0.2.0",
                LauncherConfig.K8S_CONFIG_MAP.key(), "imlma-prod-config",
                LauncherConfig.K8S_REGISTRY_SECRET.key(), "imlma-prod-registry",
                LauncherConfig.ENTRY_CLASS.key(), "io.imlma.jobs.VerifySnapshotJob"));
        Job job = readJob(Files.readString(resource(config.runner().run(config.spec(REQUEST), 0))));
        assertThat(job.getMetadata().getNamespace()).as("left to kubectl -n").isNull();
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("registry.example.org/imlma/flink:0.2.0");
        assertThat(container.getCommand()).last().isEqualTo("io.imlma.jobs.VerifySnapshotJob");
        assertThat(configMaps(pod)).containsExactly("imlma-prod-config");
        assertThat(secrets(container)).containsOnly("imlma-prod-registry").hasSize(2);
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

    @Test
    void aFieldKubernetesDoesNotKnowIsFound() throws IOException {
        Job misspelt = KUBERNETES.readValue(template().replace("backoffLimit:", "backofLimit:"), Job.class);
        assertThat(unknownFields(misspelt, "Job")).containsExactly("Job.Spec.backofLimit");
    }

    private static Path resource(LaunchOutcome outcome) {
        assertThat(outcome.status()).as(outcome.message()).isEqualTo(Status.SUBMITTED);
        return Path.of(outcome.results().get("resource"));
    }

    private static String template() throws IOException {
        try (InputStream in = KubernetesJobRunner.class.getResourceAsStream(KubernetesJobRunner.TEMPLATE)) {
            assertThat(in).as("the build copies k8s/retrain-job.yaml beside the runner").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Job readJob(String yaml) throws IOException {
        Job job = KUBERNETES.readValue(yaml, Job.class);
        assertThat(unknownFields(job, "Job")).as("fields the Kubernetes API does not know").isEmpty();
        return job;
    }

    /**
     * The model keeps fields it does not know in each object's additionalProperties instead of failing on them:
     * their paths, found by walking the model's getters.
     */
    private static List<String> unknownFields(Object node, String path) {
        List<String> unknown = new ArrayList<>();
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknown.addAll(unknownFields(item, path + "[" + i++ + "]"));
            }
        } else if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> unknown.addAll(unknownFields(value, path + "." + key)));
        } else if (node != null && node.getClass().getName().startsWith("io.fabric8.")) {
            for (Method getter : node.getClass().getMethods()) {
                if (getter.getParameterCount() > 0 || Modifier.isStatic(getter.getModifiers())
                        || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                    continue;
                }
                Object value;
                try {
                    value = getter.invoke(node);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
                if (getter.getName().equals("getAdditionalProperties")) {
                    ((Map<?, ?>) value).keySet().forEach(key -> unknown.add(path + "." + key));
                } else {
                    unknown.addAll(unknownFields(value, path + "." + getter.getName().substring(3)));
                }
            }
        }
        return unknown;
    }

    private static List<String> configMaps(PodSpec pod) {
        return pod.getVolumes().stream().map(Volume::getConfigMap).filter(c -> c != null).map(c -> c.getName())
                .toList();
    }

    private static List<String> secrets(Container container) {
        return container.getEnv().stream().map(EnvVar::getValueFrom).filter(v -> v != null && v.getSecretKeyRef() != null)
                .map(v -> v.getSecretKeyRef().getName()).toList();
    }
}
