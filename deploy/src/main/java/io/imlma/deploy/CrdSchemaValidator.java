package io.imlma.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * Validates Flink Kubernetes operator resources (FlinkDeployment, FlinkSessionJob, FlinkStateSnapshot) against
 * the CRD schemas shipped in {@code org.apache.flink:flink-kubernetes-operator-api} (META-INF/fabric8), the way
 * the Kubernetes API server with strict field validation would.
 *
 * <p>The CRDs' {@code openAPIV3Schema} is OpenAPI 3 flavoured, so it is translated to JSON Schema draft 4 first:
 * objects with declared properties reject unknown fields (Kubernetes prunes or, with strict validation, rejects
 * them) unless marked {@code x-kubernetes-preserve-unknown-fields}; {@code nullable} admits null;
 * {@code x-kubernetes-int-or-string} admits an integer or a string; {@code x-kubernetes-embedded-resource}
 * admits apiVersion/kind/metadata; the root admits apiVersion, kind and metadata, which every resource has.
 * Other {@code x-kubernetes-*} keywords (list and map types, CEL validations) are not checked.
 *
 * <p>Usage: {@code CrdSchemaValidator.load().validate(resource)} returns the problems, empty when valid.
 */
public final class CrdSchemaValidator {

    public static final String GROUP = "flink.apache.org";

    private static final Map<String, String> CRD_FILES = Map.of(
            "FlinkDeployment", "META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml",
            "FlinkSessionJob", "META-INF/fabric8/flinksessionjobs.flink.apache.org-v1.yml",
            "FlinkStateSnapshot", "META-INF/fabric8/flinkstatesnapshots.flink.apache.org-v1.yml");

    /** Kubernetes object names of these kinds are DNS-1123 labels (they become service and pod names). */
    private static final String NAME_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
    private static final int NAME_MAX_LENGTH = 63;

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** kind → served version (e.g. v1beta1) → schema. */
    private final Map<String, Map<String, JsonSchema>> schemas;

    private CrdSchemaValidator(Map<String, Map<String, JsonSchema>> schemas) {
        this.schemas = schemas;
    }

    /** Reads the CRDs of all Flink operator kinds from the classpath. */
    public static CrdSchemaValidator load() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().build();
        Map<String, Map<String, JsonSchema>> schemas = new LinkedHashMap<>();
        CRD_FILES.forEach((kind, file) -> {
            JsonNode crd = readCrd(file);
            Map<String, JsonSchema> byVersion = new LinkedHashMap<>();
            for (JsonNode version : crd.path("spec").path("versions")) {
                if (version.path("served").asBoolean(false)) {
                    JsonNode openApi = version.path("schema").path("openAPIV3Schema");
                    byVersion.put(version.path("name").asText(), factory.getSchema(toJsonSchema(openApi), config));
                }
            }
            if (byVersion.isEmpty()) {
                throw new IllegalStateException(file + " serves no version");
            }
            schemas.put(kind, byVersion);
        });
        return new CrdSchemaValidator(schemas);
    }

    /** Whether the resource is of a kind this validator knows (in the flink.apache.org group). */
    public boolean handles(JsonNode resource) {
        return resource.path("apiVersion").asText().startsWith(GROUP + "/")
                && schemas.containsKey(resource.path("kind").asText());
    }

    /**
     * Problems with the resource, each starting with the JSON pointer of the field concerned (e.g.
     * {@code /spec/job/upgradeMode: ...}); empty when the resource is valid.
     */
    public List<String> validate(JsonNode resource) {
        String kind = resource.path("kind").asText();
        String apiVersion = resource.path("apiVersion").asText();
        Map<String, JsonSchema> byVersion = schemas.get(kind);
        if (byVersion == null) {
            return List.of("kind '" + kind + "' is not a Flink operator resource; known: " + schemas.keySet());
        }
        if (!apiVersion.startsWith(GROUP + "/")) {
            return List.of("apiVersion '" + apiVersion + "' is not in group " + GROUP);
        }
        String version = apiVersion.substring(GROUP.length() + 1);
        JsonSchema schema = byVersion.get(version);
        if (schema == null) {
            return List.of(kind + " version '" + version + "' is not served; served: " + byVersion.keySet());
        }
        Set<String> problems = new TreeSet<>();
        for (ValidationMessage message : schema.validate(resource)) {
            // messages start with the JSON pointer of the offending field, empty for the root
            String text = message.getMessage();
            problems.add(text.startsWith(":") ? "/" + text : text);
        }
        return new ArrayList<>(problems);
    }

    /** Problems in every document of a YAML text, prefixed by kind/name; empty when all are valid. */
    public List<String> validateYaml(String yaml) {
        List<String> problems = new ArrayList<>();
        try (var documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
            while (documents.hasNext()) {
                JsonNode resource = documents.next();
                String name = resource.path("kind").asText() + "/" + resource.path("metadata").path("name").asText();
                validate(resource).forEach(problem -> problems.add(name + ": " + problem));
            }
        } catch (IOException e) {
            problems.add("not YAML: " + e.getMessage());
        }
        return problems;
    }

    /** Throws {@link IllegalArgumentException} listing the problems when the resource is not valid. */
    public void requireValid(JsonNode resource) {
        List<String> problems = validate(resource);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(resource.path("kind").asText() + "/"
                    + resource.path("metadata").path("name").asText() + " does not match its CRD: "
                    + String.join("; ", problems));
        }
    }

    private static JsonNode readCrd(String file) {
        try (InputStream in = CrdSchemaValidator.class.getClassLoader().getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException(file + " is not on the classpath (flink-kubernetes-operator-api)");
            }
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Translates a CRD's structural OpenAPI v3 schema to a JSON Schema draft 4 document. */
    static ObjectNode toJsonSchema(JsonNode openApiRoot) {
        ObjectNode root = translate(openApiRoot);
        ObjectNode properties = root.with("properties");
        properties.set("apiVersion", NODES.objectNode().put("type", "string"));
        properties.set("kind", NODES.objectNode().put("type", "string"));
        properties.set("metadata", objectMetaSchema());
        closeUnlessOpen(root, openApiRoot);
        ArrayNode required = NODES.arrayNode().add("apiVersion").add("kind").add("metadata").add("spec");
        root.set("required", required);
        return root;
    }

    private static ObjectNode translate(JsonNode openApi) {
        ObjectNode schema = NODES.objectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = openApi.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String keyword = field.getKey();
            JsonNode value = field.getValue();
            switch (keyword) {
                case "properties" -> {
                    ObjectNode translated = schema.putObject("properties");
                    value.fields().forEachRemaining(p -> translated.set(p.getKey(), translate(p.getValue())));
                }
                case "items", "not" -> schema.set(keyword, value.isObject() ? translate(value) : value);
                case "additionalProperties" ->
                        schema.set(keyword, value.isObject() ? translate(value) : value);
                case "anyOf", "allOf", "oneOf" -> {
                    ArrayNode translated = schema.putArray(keyword);
                    value.forEach(alternative -> translated.add(translate(alternative)));
                }
                case "nullable", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-int-or-string",
                        "x-kubernetes-embedded-resource" -> {
                    // handled below
                }
                default -> {
                    if (!keyword.startsWith("x-kubernetes-")) {
                        schema.set(keyword, value);
                    }
                }
            }
        }
        if (openApi.path("x-kubernetes-int-or-string").asBoolean(false) && !schema.has("anyOf")) {
            schema.putArray("anyOf").add(NODES.objectNode().put("type", "integer"))
                    .add(NODES.objectNode().put("type", "string"));
        }
        if (openApi.path("x-kubernetes-embedded-resource").asBoolean(false)) {
            ObjectNode properties = schema.with("properties");
            properties.set("apiVersion", NODES.objectNode().put("type", "string"));
            properties.set("kind", NODES.objectNode().put("type", "string"));
            properties.set("metadata", NODES.objectNode().put("type", "object"));
        }
        closeUnlessOpen(schema, openApi);
        if (openApi.path("nullable").asBoolean(false)) {
            ObjectNode nullable = NODES.objectNode();
            nullable.putArray("anyOf").add(NODES.objectNode().put("type", "null")).add(schema);
            return nullable;
        }
        return schema;
    }

    /** An object schema with declared properties rejects undeclared fields, as Kubernetes does. */
    private static void closeUnlessOpen(ObjectNode schema, JsonNode openApi) {
        boolean declaresProperties = schema.has("properties");
        boolean open = openApi.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
                || schema.has("additionalProperties");
        if (declaresProperties && !open) {
            schema.put("additionalProperties", false);
        }
    }

    private static ObjectNode objectMetaSchema() {
        ObjectNode metadata = NODES.objectNode().put("type", "object");
        ObjectNode properties = metadata.putObject("properties");
        properties.putObject("name").put("type", "string").put("pattern", NAME_PATTERN)
                .put("maxLength", NAME_MAX_LENGTH);
        properties.putObject("namespace").put("type", "string").put("pattern", NAME_PATTERN);
        for (String stringMap : List.of("labels", "annotations")) {
            properties.putObject(stringMap).put("type", "object")
                    .putObject("additionalProperties").put("type", "string");
        }
        metadata.putArray("required").add("name");
        return metadata;
    }
}
