package io.imlma.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The validator accepts the project's resources and rejects what the API server would reject. */
class CrdSchemaValidatorTest {

    private static CrdSchemaValidator validator;

    @BeforeAll
    static void load() {
        validator = CrdSchemaValidator.load();
    }

    private static ObjectNode pipeline() {
        return K8sManifests.one("FlinkDeployment", "imlma-meter-pipeline").resource().deepCopy();
    }

    /**
     * A session job, a second kind the validator reads its schema for (nothing in the project writes one: RetrainJob
     * cannot run as one, see k8s/retrain-job.yaml).
     */
    private static ObjectNode sessionJob() {
        try {
            return (ObjectNode) K8sManifests.YAML.readTree("""
                    apiVersion: flink.apache.org/v1beta1
                    kind: FlinkSessionJob
                    metadata:
                      name: verify-snapshot-1
                    spec:
                      deploymentName: imlma-session
                      job:
                        jarURI: https://repo.example/imlma-jobs-job.jar
                        entryClass: io.imlma.jobs.VerifySnapshotJob
                        args: ["--request-id=1"]
                        parallelism: 2
                        upgradeMode: stateless
                        state: running
                    """);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void acceptsTheStreamingJobAndASessionJob() {
        assertThat(validator.validate(pipeline())).isEmpty();
        assertThat(validator.validate(sessionJob())).isEmpty();
    }

    @Test
    void rejectsAMisspeltField() {
        ObjectNode job = sessionJob();
        ObjectNode spec = (ObjectNode) job.path("spec").path("job");
        spec.set("upgradMode", spec.remove("upgradeMode"));

        assertThat(validator.validate(job)).singleElement().asString().contains("upgradMode");
    }

    @Test
    void rejectsAValueOutsideTheEnum() {
        ObjectNode deployment = pipeline();
        ((ObjectNode) deployment.path("spec")).put("flinkVersion", "v1_21");

        assertThat(validator.validate(deployment)).singleElement().asString()
                .contains("/spec/flinkVersion").contains("enum");
    }

    @Test
    void rejectsANonStringFlinkConfigurationValue() {
        ObjectNode deployment = pipeline();
        ((ObjectNode) deployment.path("spec").path("flinkConfiguration")).put("execution.checkpointing.incremental", true);

        assertThat(validator.validate(deployment)).singleElement().asString()
                .contains("execution.checkpointing.incremental").contains("string");
    }

    @Test
    void rejectsUnknownFieldsInThePodTemplate() {
        ObjectNode deployment = pipeline();
        ((ObjectNode) deployment.path("spec").path("podTemplate").path("spec").path("containers").get(0))
                .put("imagePullPolice", "Always");

        assertThat(validator.validate(deployment)).singleElement().asString().contains("imagePullPolice");
    }

    @Test
    void rejectsAMissingSpecABadNameAndAnUnservedVersion() {
        ObjectNode job = sessionJob();
        job.remove("spec");
        ((ObjectNode) job.path("metadata")).put("name", "Retrain_Job");
        assertThat(validator.validate(job)).hasSize(2)
                .anySatisfy(p -> assertThat(p).isEqualTo("/: required property 'spec' not found"))
                .anySatisfy(p -> assertThat(p).contains("/metadata/name"));

        ObjectNode other = sessionJob();
        other.put("apiVersion", "flink.apache.org/v2");
        assertThat(validator.validate(other)).singleElement().asString().contains("not served");
        assertThatThrownBy(() -> validator.requireValid(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FlinkSessionJob/verify-snapshot-1");
    }

    @Test
    void validatesYamlText() {
        String yaml = """
                apiVersion: flink.apache.org/v1beta1
                kind: FlinkSessionJob
                metadata:
                  name: retrain-42
                spec:
                  deploymentName: imlma-retrain-session
                  job:
                    jarURI: hdfs://nn/imlma/jars/imlma-jobs-job.jar
                    entryClass: io.imlma.jobs.RetrainJob
                    parallelism: four
                """;
        assertThat(validator.validateYaml(yaml)).singleElement().asString()
                .startsWith("FlinkSessionJob/retrain-42: ").contains("/spec/job/parallelism");
    }

    @Test
    void translatesOpenApiKeywords() throws Exception {
        JsonNode openApi = K8sManifests.YAML.readTree("""
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      port:
                        x-kubernetes-int-or-string: true
                      note:
                        type: string
                        nullable: true
                      extra:
                        type: object
                        x-kubernetes-preserve-unknown-fields: true
                        properties:
                          known: {type: string}
                """);
        var schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
                .getSchema(CrdSchemaValidator.toJsonSchema(openApi));

        JsonNode good = K8sManifests.YAML.readTree("""
                apiVersion: x/v1
                kind: X
                metadata: {name: x}
                spec: {port: http, note: null, extra: {known: a, unknown: b}}
                """);
        JsonNode bad = K8sManifests.YAML.readTree("""
                apiVersion: x/v1
                kind: X
                metadata: {name: x}
                spec: {port: 1.5, note: 3, other: 1}
                """);

        assertThat(schema.validate(good)).isEmpty();
        assertThat(schema.validate(bad)).hasSizeGreaterThanOrEqualTo(3);
    }
}
