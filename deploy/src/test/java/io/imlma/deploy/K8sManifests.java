package io.imlma.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** Every document of every YAML file under k8s/ (shared with deploy/job-config through the test jar). */
public final class K8sManifests {

    public record Manifest(Path file, JsonNode resource) {
        public String kind() {
            return resource.path("kind").asText();
        }

        public String name() {
            return resource.path("metadata").path("name").asText();
        }

        @Override
        public String toString() {
            return file.getFileName() + ": " + kind() + "/" + name();
        }
    }

    public static final YAMLMapper YAML = new YAMLMapper();

    private K8sManifests() {}

    public static List<Manifest> all() {
        List<Manifest> manifests = new ArrayList<>();
        try (Stream<Path> files = Files.list(RepoFiles.resolve("k8s"))) {
            for (Path file : files.filter(f -> f.toString().matches(".*\\.ya?ml")).sorted().toList()) {
                try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
                    while (documents.hasNext()) {
                        JsonNode resource = documents.next();
                        if (!resource.isMissingNode() && !resource.isNull()) {
                            manifests.add(new Manifest(file, resource));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return manifests;
    }

    public static List<Manifest> ofKind(String kind) {
        return all().stream().filter(m -> m.kind().equals(kind)).toList();
    }

    public static Manifest one(String kind, String name) {
        Predicate<Manifest> wanted = m -> m.kind().equals(kind) && m.name().equals(name);
        return all().stream().filter(wanted).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + "/" + name + " under k8s/"));
    }
}
