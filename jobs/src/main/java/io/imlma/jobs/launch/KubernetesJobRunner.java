package io.imlma.jobs.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.imlma.common.integrity.FileDigest;
import io.imlma.jobs.launch.LaunchOutcome.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes a Kubernetes {@code batch/v1} Job per request (one YAML file, named after it) into a directory that the
 * user's tooling applies ({@code kubectl apply -f <dir>}, GitOps). The Job runs the batch job in its pod's JVM on a
 * local Flink environment, as the {@code local} mode does: RetrainJob runs one Flink job per tuning round and
 * collects each round's results, which neither a session cluster's REST submission nor an operator-managed
 * application cluster supports.
 *
 * <p>The Job is {@code k8s/retrain-job.yaml} (the retraining by hand, copied into this package by the build) with
 * the request's name, namespace, annotation and main class, the configured image, ConfigMap and registry Secret, and
 * the request's arguments in place of the sample request's (those from {@code --request-id} on). The template's own
 * arguments stay: the configuration file and the registry credentials expanded from the Secret, so a
 * passed-through setting they set (the password) is not written. The Job's end is not observed here, so the outcome
 * is {@link Status#SUBMITTED}; the run announces its promotion itself (the ConfigMap names the Kafka brokers).
 */
public final class KubernetesJobRunner implements JobRunner {
    public static final String MODE = "kubernetes";
    public static final String API_VERSION = "batch/v1";
    public static final String KIND = "Job";
    public static final String REQUEST_ID_ANNOTATION = "imlma.io/request-id";
    /** Where the build puts k8s/retrain-job.yaml, beside this class. */
    static final String TEMPLATE = "retrain-job.yaml";
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // a request id or quantity such as 2024 stays a string (annotations must be strings)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));
    private static final String REQUEST_ARGS_START = "--" + RetrainJobSpec.REQUEST_ID.key();

    /**
     * What a deployment sets in the template's container.
     *
     * @param configMap      the ConfigMap mounted as the programs' configuration directory
     * @param registrySecret the Secret the registry credentials come from (the container's only Secret)
     */
    public record Pod(String image, String configMap, String registrySecret) implements Serializable {}

    private final Path outputDir;
    private final String namespace;
    private final Pod pod;

    /** @param namespace of the Job; null to leave it to {@code kubectl -n} */
    public KubernetesJobRunner(Path outputDir, String namespace, Pod pod) {
        this.outputDir = outputDir;
        this.namespace = namespace;
        this.pod = pod;
    }

    /** The image, ConfigMap and Secret of k8s/retrain-job.yaml: the defaults of the settings. */
    public static Pod templatePod() {
        ObjectNode template = template();
        JsonNode container = container(template);
        return new Pod(container.path("image").asText(), configMapVolume(template).path("name").asText(),
                secretKeyRefs(container).get(0).path("name").asText());
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
            Files.write(temp, YAML.writeValueAsString(job(name, spec)).getBytes(StandardCharsets.UTF_8));
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        return new LaunchOutcome(spec.requestId(), MODE, name, Status.SUBMITTED, startedAt,
                System.currentTimeMillis(), KIND + " " + name + " written to " + file + " (apply with kubectl apply -f)",
                Map.of("resource", file.toString()));
    }

    /** The template with this request's and this deployment's values. */
    ObjectNode job(String name, RetrainJobSpec spec) {
        ObjectNode job = template();
        ObjectNode metadata = (ObjectNode) job.path("metadata");
        metadata.put("name", name);
        if (namespace != null) {
            metadata.put("namespace", namespace);
        }
        metadata.putObject("annotations").put(REQUEST_ID_ANNOTATION, spec.requestId());

        ObjectNode container = container(job);
        container.put("image", pod.image());
        ArrayNode command = (ArrayNode) container.path("command");
        command.set(command.size() - 1, command.textNode(spec.entryClass()));
        List<String> ownArgs = ownArgs(container);
        ArrayNode args = container.putArray("args");
        ownArgs.forEach(args::add);
        Set<String> ownNames = names(ownArgs);
        spec.programArgs().stream().filter(arg -> !ownNames.contains(name(arg))).forEach(args::add);
        secretKeyRefs(container).forEach(ref -> ref.put("name", pod.registrySecret()));
        configMapVolume(job).put("name", pod.configMap());
        return job;
    }

    /** A fresh copy of k8s/retrain-job.yaml, checked to have the parts this runner sets. */
    private static ObjectNode template() {
        try (InputStream in = KubernetesJobRunner.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException(TEMPLATE + " (k8s/retrain-job.yaml) is not on the classpath beside "
                        + KubernetesJobRunner.class.getName() + ": build the jobs module with Maven");
            }
            ObjectNode job = (ObjectNode) YAML.readTree(in);
            require(API_VERSION.equals(job.path("apiVersion").asText()) && KIND.equals(job.path("kind").asText()),
                    "is not a " + API_VERSION + " " + KIND);
            ownArgs(container(job));
            require(secretKeyRefs(container(job)).stream().map(ref -> ref.path("name").asText()).distinct().count()
                    == 1, "must take its environment from one Secret, the registry credentials");
            return job;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + TEMPLATE, e);
        }
    }

    private static ObjectNode container(JsonNode job) {
        JsonNode containers = job.path("spec").path("template").path("spec").path("containers");
        require(containers.size() == 1, "must have exactly one container");
        return (ObjectNode) containers.get(0);
    }

    /** The template's arguments before the sample request's. */
    private static List<String> ownArgs(JsonNode container) {
        List<String> own = new ArrayList<>();
        for (JsonNode arg : container.path("args")) {
            if (arg.asText().equals(REQUEST_ARGS_START) || arg.asText().startsWith(REQUEST_ARGS_START + "=")) {
                return own;
            }
            own.add(arg.asText());
        }
        throw new IllegalStateException(TEMPLATE + ": its container's args have no " + REQUEST_ARGS_START
                + ", where the request's arguments start");
    }

    private static List<ObjectNode> secretKeyRefs(JsonNode container) {
        List<ObjectNode> refs = new ArrayList<>();
        for (JsonNode variable : container.path("env")) {
            JsonNode ref = variable.path("valueFrom").path("secretKeyRef");
            if (ref.isObject()) {
                refs.add((ObjectNode) ref);
            }
        }
        return refs;
    }

    private static ObjectNode configMapVolume(JsonNode job) {
        for (JsonNode volume : job.path("spec").path("template").path("spec").path("volumes")) {
            if (volume.path("configMap").isObject()) {
                return (ObjectNode) volume.path("configMap");
            }
        }
        throw new IllegalStateException(TEMPLATE + " mounts no ConfigMap");
    }

    private static Set<String> names(List<String> args) {
        Set<String> names = new HashSet<>();
        args.stream().filter(arg -> arg.startsWith("--")).forEach(arg -> names.add(name(arg)));
        return names;
    }

    /** The setting an argument names: {@code --name=value} or {@code --name}. */
    private static String name(String arg) {
        int eq = arg.indexOf('=');
        return arg.substring(2, eq < 0 ? arg.length() : eq);
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalStateException(TEMPLATE + " " + problem);
        }
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
