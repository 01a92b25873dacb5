package io.imlma.jobs.launch;

import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imlma.common.integrity.FileDigest;
import io.imlma.jobs.launch.LaunchOutcome.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@code FlinkSessionJob} custom resource for the Flink Kubernetes operator (one YAML file per request,
 * named after it) into a directory that the user's tooling applies ({@code kubectl apply -f <dir>}, GitOps). The
 * job runs on the session cluster {@code deploymentName} (a FlinkDeployment without a job); its end is not observed
 * here, so the outcome is {@link Status#SUBMITTED}.
 */
public final class KubernetesJobRunner implements JobRunner {
    public static final String MODE = "kubernetes";
    public static final String API_VERSION = "flink.apache.org/v1beta1";
    public static final String KIND = "FlinkSessionJob";
    public static final String REQUEST_ID_ANNOTATION = "imlma.io/request-id";
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private final Path outputDir;
    private final String deploymentName;
    private final String namespace;
    private final String jarUri;

    /**
     * @param jarUri    where the operator fetches the job jar (https://, s3://, hdfs://, ... as its artifact fetcher
     *                  supports)
     * @param namespace of the resource; null to leave it to {@code kubectl -n}
     */
    public KubernetesJobRunner(Path outputDir, String deploymentName, String namespace, String jarUri) {
        this.outputDir = outputDir;
        this.deploymentName = deploymentName;
        this.namespace = namespace;
        this.jarUri = jarUri;
    }

    @Override
    public String mode() {
        return MODE;
    }

    @Override
    public LaunchOutcome run(RetrainJobSpec spec, long startedAt) throws Exception {
        String name = resourceName(spec.requestId());
        Files.createDirectories(outputDir);
        Path file = outputDir.resolve(name + ".yaml");
        Path temp = Files.createTempFile(outputDir, "." + name, ".tmp");
        try {
            Files.write(temp, YAML.writeValueAsString(resource(name, spec)).getBytes(StandardCharsets.UTF_8));
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        return new LaunchOutcome(spec.requestId(), MODE, name, Status.SUBMITTED, startedAt,
                System.currentTimeMillis(), KIND + " " + name + " written to " + file + " (apply with kubectl apply -f)",
                Map.of("resource", file.toString()));
    }

    /** The resource as nested maps, in the operator's field order. */
    Map<String, Object> resource(String name, RetrainJobSpec spec) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        if (namespace != null) {
            metadata.put("namespace", namespace);
        }
        metadata.put("labels", Map.of("app.kubernetes.io/part-of", "imlma", "app.kubernetes.io/component", "retrain"));
        metadata.put("annotations", Map.of(REQUEST_ID_ANNOTATION, spec.requestId()));

        Map<String, Object> job = new LinkedHashMap<>();
        job.put("jarURI", jarUri);
        job.put("entryClass", spec.entryClass());
        job.put("args", spec.programArgs());
        job.put("parallelism", spec.parallelism());
        job.put("state", "running");
        job.put("upgradeMode", "stateless");

        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("apiVersion", API_VERSION);
        resource.put("kind", KIND);
        resource.put("metadata", metadata);
        Map<String, Object> sessionJob = new LinkedHashMap<>();
        sessionJob.put("deploymentName", deploymentName);
        sessionJob.put("job", job);
        resource.put("spec", sessionJob);
        return resource;
    }

    /**
     * A valid Kubernetes name (DNS-1123 label: lower-case alphanumerics and '-', at most 63 characters) that is
     * stable per request id; the hash suffix keeps ids distinct that only differ in characters the name cannot hold.
     */
    static String resourceName(String requestId) {
        String readable = requestId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (readable.length() > 41) {
            readable = readable.substring(0, 41).replaceAll("-+$", "");
        }
        String hash = FileDigest.sha256(requestId.getBytes(StandardCharsets.UTF_8)).substring(0, 12);
        return "retrain-" + (readable.isEmpty() ? "" : readable + "-") + hash;
    }
}
