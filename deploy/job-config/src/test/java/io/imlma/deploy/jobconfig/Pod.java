package io.imlma.deploy.jobconfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import io.imlma.deploy.K8sManifests;

/**
 * The files and arguments a container of a pod under k8s/ starts its program with, reproduced in a local directory:
 * ConfigMap volumes filled from the ConfigMaps under k8s/, emptyDir volumes empty, then the init containers' commands
 * run with {@code sh} in order. Container paths in commands and arguments are mapped to the volumes' local
 * directories. Secrets are not in the repository: their values come from the caller.
 */
final class Pod {
    /** Kubernetes' dependent environment variables in command and args: $(NAME), and $$ for a literal $. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
    private static final long INIT_TIMEOUT_SECONDS = 30;

    private final JsonNode spec;
    private final Map<String, String> secrets;
    private final Map<String, Path> volumes = new LinkedHashMap<>();

    private Pod(JsonNode spec, Map<String, String> secrets) {
        this.spec = spec;
        this.secrets = secrets;
    }

    /**
     * @param podSpec a pod spec (a Deployment's or Job's template spec, a FlinkDeployment's podTemplate spec)
     * @param secrets values of the secrets the pod refers to, keyed by "secret-name/key"
     * @param dir     an empty directory for the volumes
     */
    static Pod start(JsonNode podSpec, Map<String, String> secrets, Path dir) throws IOException, InterruptedException {
        Pod pod = new Pod(podSpec, secrets);
        for (JsonNode volume : podSpec.path("volumes")) {
            pod.volumes.put(volume.path("name").asText(), createVolume(volume, dir));
        }
        for (JsonNode init : podSpec.path("initContainers")) {
            pod.runToCompletion(init, dir);
        }
        return pod;
    }

    /** The container's args, expanded by Kubernetes and with its mount paths made local. */
    List<String> args(String container) {
        JsonNode c = container(container);
        return texts(c.path("args")).stream().map(arg -> local(c, expand(c, arg))).toList();
    }

    /** The container's command, as {@link #args}. */
    List<String> command(String container) {
        JsonNode c = container(container);
        return texts(c.path("command")).stream().map(arg -> local(c, expand(c, arg))).toList();
    }

    /** Arguments given to the container's program by other means (a Flink job's args): mount paths made local. */
    List<String> withLocalPaths(String container, List<String> args) {
        JsonNode c = container(container);
        return args.stream().map(arg -> local(c, arg)).toList();
    }

    private static Path createVolume(JsonNode volume, Path dir) throws IOException {
        Path local = Files.createDirectories(dir.resolve("volumes").resolve(volume.path("name").asText()));
        if (volume.has("configMap")) {
            JsonNode configMap = K8sManifests.one("ConfigMap", volume.path("configMap").path("name").asText())
                    .resource();
            for (var entry : (Iterable<Map.Entry<String, JsonNode>>) () -> configMap.path("data").fields()) {
                Files.writeString(local.resolve(entry.getKey()), entry.getValue().asText());
            }
        } else if (!volume.has("emptyDir")) {
            throw new AssertionError("volume type not reproduced here: " + volume);
        }
        return local;
    }

    private void runToCompletion(JsonNode container, Path dir) throws IOException, InterruptedException {
        String name = container.path("name").asText();
        List<String> command = new ArrayList<>(command(name));
        command.addAll(args(name));
        Path output = dir.resolve(name + ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(variable -> !variable.equals("PATH"));
        builder.environment().putAll(environment(container));
        Process process = builder.start();
        boolean exited = process.waitFor(INIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        assertThat(exited && process.exitValue() == 0).as("init container %s exits with 0 within %d s; output: %s",
                name, INIT_TIMEOUT_SECONDS, Files.readString(output, StandardCharsets.UTF_8)).isTrue();
    }

    private JsonNode container(String name) {
        return StreamSupport.stream(spec.path("initContainers").spliterator(), false)
                .filter(c -> c.path("name").asText().equals(name)).findFirst()
                .or(() -> StreamSupport.stream(spec.path("containers").spliterator(), false)
                        .filter(c -> c.path("name").asText().equals(name)).findFirst())
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    private Map<String, String> environment(JsonNode container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode variable : container.path("env")) {
            JsonNode secretRef = variable.path("valueFrom").path("secretKeyRef");
            String value = secretRef.isMissingNode() ? variable.path("value").asText()
                    : secret(secretRef.path("name").asText() + "/" + secretRef.path("key").asText());
            env.put(variable.path("name").asText(), value);
        }
        return env;
    }

    private String secret(String ref) {
        String value = secrets.get(ref);
        if (value == null) {
            throw new AssertionError("no sample value for the secret key " + ref);
        }
        return value;
    }

    private String expand(JsonNode container, String text) {
        Map<String, String> env = environment(container);
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            // an undefined variable stays as written, as in Kubernetes
            String replacement = name == null ? "$" : env.getOrDefault(name, m.group());
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        return m.appendTail(out).toString();
    }

    /** Replaces the container's mount paths, longest first, where they are whole path prefixes. */
    private String local(JsonNode container, String text) {
        List<JsonNode> mounts = new ArrayList<>();
        container.path("volumeMounts").forEach(mounts::add);
        mounts.sort(Comparator.comparingInt((JsonNode m) -> m.path("mountPath").asText().length()).reversed());
        String result = text;
        for (JsonNode mount : mounts) {
            assertThat(mount.has("subPath")).as("subPath mounts are not reproduced here").isFalse();
            Path volume = volumes.get(mount.path("name").asText());
            assertThat(volume).as("volume of mount %s", mount).isNotNull();
            result = result.replaceAll(Pattern.quote(mount.path("mountPath").asText()) + "(?=/|$|[^\\w.-])",
                    Matcher.quoteReplacement(volume.toString()));
        }
        return result;
    }

    static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
