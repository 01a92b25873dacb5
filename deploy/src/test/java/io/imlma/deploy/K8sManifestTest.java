package io.imlma.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;

import javax.xml.parsers.DocumentBuilderFactory;

import com.fasterxml.jackson.databind.JsonNode;
import io.imlma.deploy.K8sManifests.Manifest;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The manifests are valid and agree with each other, the Dockerfile and the code the build produces. */
class K8sManifestTest {

    private static final String MODULE_SOURCES = "src/main/java/";
    /** The Secrets k8s/README.md tells to create, and their keys. */
    private static final Set<String> SECRET_KEYS = Set.of("imlma-registry-credentials/user",
            "imlma-registry-credentials/password", "imlma-api-token/token");
    private static final String JVM_OPTIONS = "cluster/jvm-options";
    private static final String CONFIG_MAP = "imlma-job-config";
    private static final String CONFIG_FILE = "/opt/imlma/conf/imlma.properties";

    private static List<Manifest> manifests;
    private static String jobJarPathInImage;
    private static String apiJarPathInImage;

    @BeforeAll
    static void load() throws IOException {
        manifests = K8sManifests.all();
        jobJarPathInImage = DockerImage.destinationOf(shadedJarName("jobs"));
        apiJarPathInImage = DockerImage.destinationOf(shadedJarName("api"));
    }

    @Test
    void everyManifestIsAKubernetesObject() {
        assertThat(manifests).hasSizeGreaterThanOrEqualTo(5);
        assertThat(manifests).allSatisfy(m -> {
            assertThat(m.resource().path("apiVersion").asText()).as(m.toString()).isNotBlank();
            assertThat(m.kind()).as(m.toString()).isNotBlank();
            assertThat(m.name()).as(m.toString()).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        });
        assertThat(manifests).extracting(Manifest::kind)
                .contains("FlinkDeployment", "Job", "Deployment", "Service", "ConfigMap");
    }

    @Test
    void flinkResourcesMatchTheOperatorsCrds() {
        CrdSchemaValidator validator = CrdSchemaValidator.load();
        List<Manifest> flinkResources = manifests.stream().filter(m -> validator.handles(m.resource())).toList();
        assertThat(flinkResources).extracting(Manifest::name)
                .containsExactlyInAnyOrder("imlma-meter-pipeline", "imlma-training");
        assertThat(flinkResources).allSatisfy(m ->
                assertThat(validator.validate(m.resource())).as(m.toString()).isEmpty());
    }

    @Test
    void flinkConfigurationKeysAndValuesAreFlinks() {
        FlinkOptionCatalog catalog = FlinkOptionCatalog.load();
        for (Manifest m : manifests) {
            JsonNode flinkConfiguration = m.resource().path("spec").path("flinkConfiguration");
            if (flinkConfiguration.isMissingNode()) {
                continue;
            }
            Map<String, String> settings = new LinkedHashMap<>();
            flinkConfiguration.fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
            // kubernetes.* options live in flink-kubernetes (not on Maven Central for 1.20.3) and in the
            // operator itself, so they are not in the catalogue; everything else must be
            Set<String> checked = new TreeSet<>(settings.keySet());
            checked.removeIf(key -> key.startsWith("kubernetes."));
            assertThat(catalog.unknownKeys(checked)).as(m.toString()).isEmpty();
            assertThat(checked).as(m.toString()).noneMatch(catalog::isDeprecatedOnly);
            assertThat(catalog.invalidValues(Configuration.fromMap(settings))).as(m.toString()).isEmpty();
        }
    }

    @Test
    void streamingJobRunsTheShadedJarWithDurableState() {
        JsonNode spec = K8sManifests.one("FlinkDeployment", "imlma-meter-pipeline").resource().path("spec");
        JsonNode job = spec.path("job");
        assertThat(spec.path("flinkVersion").asText()).isEqualTo("v1_20");
        assertThat(job.path("jarURI").asText()).isEqualTo("local://" + jobJarPathInImage);
        assertThat(job.path("entryClass").asText()).isEqualTo("io.imlma.jobs.MeterPipelineJob");
        assertThat(job.path("upgradeMode").asText()).isIn("savepoint", "last-state");
        assertThat(texts(job.path("args"))).containsSubsequence("--config", CONFIG_FILE);

        JsonNode conf = spec.path("flinkConfiguration");
        assertThat(conf.path("state.backend.type").asText()).isEqualTo("rocksdb");
        assertThat(conf.path("execution.checkpointing.incremental").asText()).isEqualTo("true");
        assertThat(conf.path("execution.checkpointing.mode").asText()).isEqualTo("EXACTLY_ONCE");
        assertThat(conf.path("execution.checkpointing.dir").asText()).startsWith("hdfs://");
        assertThat(conf.path("execution.checkpointing.savepoint-dir").asText()).startsWith("hdfs://");
        assertThat(conf.path("high-availability.type").asText()).isEqualTo("kubernetes");
        assertThat(conf.path("high-availability.storageDir").asText()).startsWith("hdfs://");
        assertThat(spec.path("jobManager").path("resource").path("memory").asText()).isNotBlank();
        assertThat(spec.path("taskManager").path("resource").path("cpu").asDouble()).isPositive();
    }

    @Test
    void flinkPodsExposeAndAnnounceThePrometheusReporter() {
        for (Manifest m : K8sManifests.ofKind("FlinkDeployment")) {
            JsonNode spec = m.resource().path("spec");
            assertThat(spec.path("flinkConfiguration").path("metrics.reporter.prom.factory.class").asText())
                    .as(m.toString()).isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            assertThat(spec.path("flinkConfiguration").path("metrics.reporter.prom.port").asText())
                    .as(m.toString()).isEqualTo(String.valueOf(Ports.FLINK_PROMETHEUS));
            JsonNode pod = spec.path("podTemplate");
            assertScrapeAnnotations(m, pod.path("metadata").path("annotations"), Ports.FLINK_PROMETHEUS);
            JsonNode main = container(pod.path("spec"), "flink-main-container");
            assertThat(containerPorts(main)).as(m.toString()).contains(Ports.FLINK_PROMETHEUS);
        }
    }

    @Test
    void manualRetrainingRunsTheJobJarInItsOwnJvm() throws IOException {
        JsonNode podSpec = K8sManifests.one("Job", "imlma-retrain").resource().path("spec").path("template")
                .path("spec");
        List<String> command = texts(container(podSpec, "retrain").path("command"));
        assertThat(command).first().isEqualTo("java");
        assertThat(command).last().isEqualTo("io.imlma.jobs.RetrainJob");
        assertThat(command).anySatisfy(arg -> assertThat(arg).contains(jobJarPathInImage));
        // Flink on Java 17 needs its module opens: the argument file the image holds
        assertThat(command).contains("@" + DockerImage.destinationOf(JVM_OPTIONS));
        assertThat(podSpec.path("restartPolicy").asText()).isEqualTo("Never");
    }

    @Test
    void apiServesOnItsPortWithHealthAndMetrics() {
        JsonNode podTemplate = K8sManifests.one("Deployment", "imlma-api").resource().path("spec").path("template");
        JsonNode api = container(podTemplate.path("spec"), "api");
        // the API's own jar: the job jar holds no HTTP server
        assertThat(texts(api.path("command"))).contains("io.imlma.api.ApiServer")
                .anySatisfy(arg -> assertThat(arg).contains(apiJarPathInImage))
                .noneSatisfy(arg -> assertThat(arg).contains(jobJarPathInImage));
        assertThat(shadePluginMainClass("api")).isEqualTo("io.imlma.api.ApiServer");
        assertThat(containerPorts(api)).containsExactly(Ports.API);
        assertThat(api.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/healthz");
        assertThat(api.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/healthz");
        assertScrapeAnnotations(new Manifest(Path.of("api.yaml"), podTemplate),
                podTemplate.path("metadata").path("annotations"), Ports.API);

        JsonNode service = K8sManifests.one("Service", "imlma-api").resource().path("spec");
        assertThat(service.path("ports").get(0).path("port").asInt()).isEqualTo(Ports.API);
        assertThat(service.path("selector")).isEqualTo(podTemplate.path("metadata").path("labels"));
    }

    @Test
    void credentialsComeOnlyFromTheSecretReference() {
        assertThat(manifests).extracting(Manifest::kind).as("no real secret in the repository").doesNotContain("Secret");
        List<JsonNode> secretRefs = manifests.stream().flatMap(m -> m.resource().findValues("secretKeyRef").stream()).toList();
        assertThat(secretRefs).hasSizeGreaterThanOrEqualTo(7).allSatisfy(ref ->
                assertThat(ref.path("name").asText() + "/" + ref.path("key").asText()).isIn(SECRET_KEYS));
        List<JsonNode> configMapVolumes = manifests.stream().flatMap(m -> m.resource().findValues("configMap").stream()).toList();
        assertThat(configMapVolumes).hasSize(3).allSatisfy(v -> assertThat(v.path("name").asText()).isEqualTo(CONFIG_MAP));
    }

    @Test
    void dockerImageIsBuiltFromFlink120WithThePrometheusPlugin() throws IOException {
        List<String> lines = DockerImage.lines();
        assertThat(lines).contains("FROM flink:1.20-java17");
        assertThat(String.join("\n", lines)).contains("/opt/flink/plugins/metrics-prometheus/");
        assertThat(jobJarPathInImage).startsWith("/opt/flink/usrlib/");
    }

    @Test
    void everyNamedClassExists() throws IOException {
        Set<String> named = new TreeSet<>();
        for (Manifest m : manifests) {
            m.resource().findValues("entryClass").forEach(v -> named.add(v.asText()));
            m.resource().findValues("command").forEach(command ->
                    texts(command).stream().filter(arg -> arg.startsWith("io.imlma.")).forEach(named::add));
        }
        named.add(shadePluginMainClass("jobs"));
        named.add(shadePluginMainClass("api"));
        assertThat(named).contains("io.imlma.jobs.MeterPipelineJob", "io.imlma.jobs.RetrainJob", "io.imlma.api.ApiServer");
        List<String> missing = new ArrayList<>();
        for (String className : named) {
            if (!sourceExists(className)) {
                missing.add(className);
            }
        }
        assertThat(missing).as("classes named by k8s/ or the shade plugin that exist nowhere in the sources").isEmpty();
    }

    private static boolean sourceExists(String className) throws IOException {
        String relative = MODULE_SOURCES + className.replace('.', '/') + ".java";
        try (var modules = Files.list(RepoFiles.root())) {
            return modules.anyMatch(module -> Files.isRegularFile(module.resolve(relative)));
        }
    }

    private static void assertScrapeAnnotations(Manifest m, JsonNode annotations, int port) {
        assertThat(annotations.path("prometheus.io/scrape").asText()).as(m.toString()).isEqualTo("true");
        assertThat(annotations.path("prometheus.io/port").asText()).as(m.toString()).isEqualTo(String.valueOf(port));
        assertThat(annotations.path("prometheus.io/path").asText()).as(m.toString()).isEqualTo("/metrics");
    }

    private static JsonNode container(JsonNode podSpec, String name) {
        return StreamSupport.stream(podSpec.path("containers").spliterator(), false)
                .filter(c -> c.path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    private static List<Integer> containerPorts(JsonNode container) {
        return StreamSupport.stream(container.path("ports").spliterator(), false)
                .map(p -> p.path("containerPort").asInt()).toList();
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    /** Where the Dockerfile copies the given build output to. */
    /** &lt;module&gt;/target/&lt;artifactId&gt;-&lt;version&gt;-&lt;shaded classifier&gt;.jar, as the module's pom builds it. */
    private static String shadedJarName(String module) {
        Document pom = pom(module);
        String artifactId = pom.getElementsByTagName("artifactId").item(1).getTextContent().strip();
        String version = pom.getElementsByTagName("version").item(0).getTextContent().strip();
        String classifier = pom.getElementsByTagName("shadedClassifierName").item(0).getTextContent().strip();
        assertThat(artifactId).isEqualTo("imlma-" + module);
        return module + "/target/" + artifactId + "-" + version + "-" + classifier + ".jar";
    }

    private static String shadePluginMainClass(String module) {
        return pom(module).getElementsByTagName("mainClass").item(0).getTextContent().strip();
    }

    private static Document pom(String module) {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(RepoFiles.resolve(module + "/pom.xml").toFile());
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + module + "/pom.xml", e);
        }
    }
}
