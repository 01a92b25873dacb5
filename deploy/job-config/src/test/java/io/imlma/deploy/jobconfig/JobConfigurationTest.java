package io.imlma.deploy.jobconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.imlma.api.ApiConfig;
import io.imlma.api.ApiServer;
import io.imlma.api.StreamingJobTopics;
import io.imlma.common.config.Catalogue;
import io.imlma.common.config.ConfigException;
import io.imlma.common.config.Settings;
import io.imlma.common.integrity.SnapshotLocation;
import io.imlma.common.kafka.KafkaOptions;
import io.imlma.common.kafka.ModelUpdates;
import io.imlma.common.kafka.RetrainCommands;
import io.imlma.common.types.RetrainReason;
import io.imlma.common.types.RetrainRequest;
import io.imlma.deploy.DockerImage;
import io.imlma.deploy.K8sManifests;
import io.imlma.jobs.JobSettings;
import io.imlma.jobs.MeterPipelineJob;
import io.imlma.jobs.RetrainJob;
import io.imlma.jobs.connect.KafkaConfig;
import io.imlma.jobs.launch.LauncherConfig;
import io.imlma.jobs.loop.ModelLoop;
import io.imlma.jobs.pipeline.PipelineConfig;
import io.imlma.jobs.retrain.RetrainConfig;
import io.imlma.jobs.snapshot.SnapshotStage;
import io.imlma.ml.horizon.HorizonSpec;
import io.imlma.registry.ModelStore;
import io.imlma.registry.jdbc.RegistryDataSource;
import io.imlma.udf.monitor.DataQualityMonitor;
import io.imlma.udf.monitor.DriftMonitor;
import io.imlma.udf.monitor.LatencyMonitor;
import io.imlma.udf.monitor.StabilityMonitor;
import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.util.TimeUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job configuration under k8s/ (ConfigMap imlma-job-config, the Secrets, each pod's arguments) starts every
 * program: each pod is reproduced locally ({@link Pod}: its volumes, its init containers run, its arguments with
 * Kubernetes' expansion), and the settings its program gets are loaded through the programs' own configuration
 * classes in the order the programs load them at start. A missing, misspelt or invalid setting fails with the
 * {@link ConfigException} naming it; a configured key no program reads fails too, as each program's main checks its
 * settings against its catalogue ({@link Catalogue#start}).
 */
class JobConfigurationTest {
    private static final String CONFIG_MAP = "imlma-job-config";
    private static final String CONFIG_FILE = "imlma.properties";
    private static final String FLINK_MAIN_CONTAINER = "flink-main-container";

    // Secrets are not in the repository: sample values, the password with characters the properties format escapes
    private static final String REGISTRY_USER = "imlma";
    private static final String REGISTRY_PASSWORD = "pa\\ss=wo:rd #1!";
    private static final String API_TOKEN = "sample-token-of-the-api-0123456789";
    private static final Map<String, String> SECRETS = Map.of(
            "imlma-registry-credentials/user", REGISTRY_USER,
            "imlma-registry-credentials/password", REGISTRY_PASSWORD,
            "imlma-api-token/token", API_TOKEN);

    private static final RetrainRequest SAMPLE_REQUEST = new RetrainRequest("volume-2016-08-01", "load-forecast",
            RetrainReason.VOLUME, Instant.parse("2016-07-01T00:00:00Z").toEpochMilli(),
            Instant.parse("2016-08-01T00:00:00Z").toEpochMilli(), 2_000, 400,
            Instant.parse("2016-08-01T00:05:00Z").toEpochMilli());

    @TempDir
    static Path dir;

    /** The command line of each program, as its pod starts it. */
    private static List<String> streamingJobArgs;
    private static List<String> manualRetrainArgs;
    private static List<String> apiArgs;

    @BeforeAll
    static void startPods() throws Exception {
        streamingJobArgs = flinkJobArgs("imlma-meter-pipeline", MeterPipelineJob.class.getName());
        manualRetrainArgs = containerArgs("Job", "imlma-retrain", "retrain", RetrainJob.class.getName());
        apiArgs = containerArgs("Deployment", "imlma-api", "api", ApiServer.class.getName());
    }

    @Test
    void streamingJobStarts() {
        Settings settings = start(JobSettings.meterPipelineJob(), streamingJobArgs);
        startStreamingJob(settings);
        assertRegistryCredentials(settings);
        assertThat(RegistryDataSource.JDBC_URL.value(settings))
                .as("the MySQL registry, not the embedded default").startsWith("jdbc:mysql:");
    }

    /** The streaming job's TaskManager runs only the retrainings' drivers; their rounds run on the session cluster. */
    @Test
    void streamingJobTrainsOnTheSessionClusterOutsideItsTaskManagers() {
        LauncherConfig config = launcher(Settings.fromArgs(streamingJobArgs.toArray(String[]::new)));
        assertThat(config.mode()).isEqualTo(LauncherConfig.Mode.FLINK_CLIENT);
        JsonNode session = K8sManifests.one("FlinkDeployment", "imlma-training").resource().path("spec");
        assertThat(session.has("job")).as("a session cluster runs no job of its own").isFalse();
        // the operator serves a FlinkDeployment's REST API as the Service <name>-rest on port 8081
        assertThat(config.restAddress()).hasHost("imlma-training-rest").hasPort(8081);
    }

    @Test
    void streamingJobCheckpointsAsItsFlinkDeploymentSays() {
        Settings settings = Settings.fromArgs(streamingJobArgs.toArray(String[]::new));
        PipelineConfig pipeline = PipelineConfig.from(settings);
        JsonNode flink = K8sManifests.one("FlinkDeployment", "imlma-meter-pipeline").resource()
                .path("spec").path("flinkConfiguration");
        // the job sets checkpoint storage and interval itself (io.imlma.jobs.pipeline.JobEnvironment), overriding the cluster's
        assertThat(pipeline.checkpointDir()).isEqualTo(flink.path("execution.checkpointing.dir").asText());
        Duration interval = TimeUtils.parseDuration(flink.path("execution.checkpointing.interval").asText());
        assertThat(pipeline.checkpointInterval()).isEqualTo(interval);

        // a Kafka transaction is committed when the next checkpoint completes: it must not time out before
        Duration checkpointTimeout = TimeUtils.parseDuration(flink.path("execution.checkpointing.timeout").asText());
        assertThat(KafkaConfig.from(settings).transactionTimeout())
                .isGreaterThan(interval.plus(checkpointTimeout));
    }

    @Test
    void retrainingsTheStreamingJobLaunchesGetTheConfiguredRetrainSettings() {
        Settings settings = Settings.fromArgs(streamingJobArgs.toArray(String[]::new));
        List<String> launched = launcher(settings).spec(SAMPLE_REQUEST).programArgs();

        // what RetrainJob reads from the launcher's arguments, and what it would read from the whole configuration
        RetrainConfig viaLauncher = RetrainConfig.from(start(JobSettings.retrainJob(), launched));
        List<String> everything = new ArrayList<>(streamingJobArgs);
        everything.addAll(launched);
        RetrainConfig fromConfiguration = RetrainConfig.from(Settings.fromArgs(everything.toArray(String[]::new)));

        Map<String, Object> launchedComponents = components(viaLauncher);
        Map<String, Object> configuredComponents = components(fromConfiguration);
        // the streaming job announces its launches' promotions itself, exactly once; the run must not repeat them
        assertThat(viaLauncher.kafkaBootstrap()).as("publishes model updates").isNull();
        List.of("kafkaBootstrap", "modelUpdatesTopic").forEach(kafka -> {
            launchedComponents.remove(kafka);
            configuredComponents.remove(kafka);
        });
        assertThat(launchedComponents).isEqualTo(configuredComponents);
        assertRegistryCredentials(Settings.fromArgs(launched.toArray(String[]::new)));
    }

    @Test
    void jobsTheKubernetesLauncherWritesStartTheSameRetraining() throws Exception {
        Settings streaming = Settings.fromArgs(streamingJobArgs.toArray(String[]::new));
        Map<String, String> kubernetes = new HashMap<>(streaming.asMap());
        kubernetes.put(LauncherConfig.MODE.key(), "kubernetes");
        kubernetes.put(LauncherConfig.K8S_OUTPUT_DIR.key(), podDirectory("launched-jobs").toString());
        LauncherConfig config = launcher(new Settings(kubernetes));
        Path written = Path.of(config.runner().run(config.spec(SAMPLE_REQUEST), 0).results().get("resource"));
        assertThat(Files.readString(written)).as("credentials stay in the Secret").doesNotContain(REGISTRY_PASSWORD);

        JsonNode job = K8sManifests.YAML.readTree(written.toFile());
        String name = job.path("metadata").path("name").asText();
        Pod pod = Pod.start(podSpec(job), SECRETS, podDirectory(name));
        assertThat(pod.command("retrain")).last().isEqualTo(RetrainJob.class.getName());
        Settings settings = start(JobSettings.retrainJob(), pod.args("retrain"));
        RetrainConfig launched = RetrainConfig.from(settings);
        assertRegistryCredentials(settings);
        assertThat(launched.kafkaBootstrap()).as("announces its promotion: the streaming job only submitted it")
                .isNotNull();

        // what the local launcher would run, Kafka aside
        List<String> local = launcher(streaming).spec(SAMPLE_REQUEST).programArgs();
        Map<String, Object> localComponents = components(RetrainConfig.from(
                Settings.fromArgs(local.toArray(String[]::new))));
        Map<String, Object> launchedComponents = components(launched);
        List.of("kafkaBootstrap", "modelUpdatesTopic").forEach(kafka -> {
            launchedComponents.remove(kafka);
            localComponents.remove(kafka);
        });
        assertThat(launchedComponents).isEqualTo(localComponents);
        assertThat(launched.requestId()).isEqualTo(SAMPLE_REQUEST.requestId());
    }

    @Test
    void manualRetrainJobStarts() {
        Settings settings = start(JobSettings.retrainJob(), manualRetrainArgs);
        RetrainConfig config = RetrainConfig.from(settings); // as RetrainJob.main, before it opens the registry
        assertThat(config.range().to()).isGreaterThan(config.range().from());
        assertThat(config.kafkaBootstrap()).as("a run by hand announces its promotion").isNotNull();
        assertRegistryCredentials(settings);
    }

    @Test
    void apiStartsOnItsContainerPort() {
        Settings settings = start(ApiServer.settings(), apiArgs);
        ApiConfig config = ApiConfig.from(settings); // as ApiServer.open, before it opens the registry
        JsonNode container = container(podSpec(K8sManifests.one("Deployment", "imlma-api").resource()), "api");
        assertThat(config.port()).isEqualTo(container.path("ports").get(0).path("containerPort").asInt());
        assertThat(config.token()).isEqualTo(API_TOKEN);
        assertRegistryCredentials(settings);
        // as ApiServer.standalone: POST /train publishes to the topic the streaming job's trigger reads, promotions
        // and rollbacks to the one its scorer reads
        StreamingJobTopics job = StreamingJobTopics.from(settings)
                .orElseThrow(() -> new AssertionError("the API has no Kafka for POST /train"));
        Settings streamingJob = Settings.fromArgs(streamingJobArgs.toArray(String[]::new));
        assertThat(job.commandsTopic()).isEqualTo(RetrainCommands.topic(streamingJob));
        assertThat(job.updatesTopic()).isEqualTo(ModelUpdates.topic(streamingJob));
    }

    @Test
    void everyConfiguredKeyIsAProgramsSetting() throws IOException {
        Set<String> keys = configuredKeys();
        Catalogue programs = Catalogue.of("the programs");
        SettingsDoc.programs().forEach(programs::with);

        assertThat(programs.unknown(Set.of("snapshot.pth"))).as("the check finds a misspelt key").isNotEmpty();
        assertThat(programs.unknown(keys)).as("keys of %s that no program reads", CONFIG_MAP).isEmpty();
        assertThat(Catalogue.allPrograms().unknown(keys)).as("keys of %s the programs refuse in their --config file",
                CONFIG_MAP).isEmpty();
        assertThat(keys).as("credentials belong in Secrets").doesNotContain(RegistryDataSource.USER.key(),
                RegistryDataSource.PASSWORD.key(), ApiConfig.TOKEN.key());
    }

    /** The settings {@code catalogue}'s program starts with from {@code args}, checked as its main checks them. */
    private static Settings start(Catalogue catalogue, List<String> args) {
        return catalogue.start(args.toArray(String[]::new))
                .orElseThrow(() -> new AssertionError("--help in " + args));
    }

    @Test
    void withoutARequiredSettingTheStreamingJobDoesNotStart() {
        Map<String, String> complete = Settings.fromArgs(streamingJobArgs.toArray(String[]::new)).asMap();
        for (String required : List.of(PipelineConfig.CHECKPOINT_DIR.key(), KafkaOptions.BOOTSTRAP_SERVERS.key(),
                SnapshotLocation.PATH.key(), SnapshotLocation.BACKUP_PATH.key(), ModelStore.PATH.key(),
                ModelStore.BACKUP_PATH.key())) {
            Map<String, String> without = new HashMap<>(complete);
            assertThat(without.remove(required)).as(required).isNotNull();
            assertThatThrownBy(() -> startStreamingJob(new Settings(without)))
                    .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.setting()).isEqualTo(required));
        }
    }

    /**
     * What MeterPipelineJob.main reads before it builds the job graph, in its order: its pipeline and Kafka
     * configurations, the retrain-commands topic (LoopKafka.retrainCommands), then ModelLoop.attach's (snapshots and
     * trigger, the launcher with the registry ledger, the model store, the serving history) and Monitors.attach's.
     * The registry is opened after these (its connection is not tried here). Keep in step with those methods.
     */
    private static void startStreamingJob(Settings settings) {
        PipelineConfig.from(settings);
        KafkaConfig.from(settings);
        RetrainCommands.topic(settings);
        SnapshotStage.Config.from(settings);
        launcher(settings);
        ModelStore.location(settings);
        ModelLoop.HISTORY.find(settings).orElseGet(() -> HorizonSpec.from(settings).inputLength());
        LatencyMonitor.Config.fromSettings(settings);
        StabilityMonitor.Config.fromSettings(settings);
        DriftMonitor.Config.fromSettings(settings);
        DataQualityMonitor.Config.fromSettings(settings);
    }

    /**
     * The streaming job's launcher, as ModelLoop.attach configures it in its pod: a job jar named by its path in the
     * image is the build output the Dockerfile copies there.
     */
    private static LauncherConfig launcher(Settings settings) {
        Map<String, String> inPod = new HashMap<>(settings.asMap());
        LauncherConfig.JAR.find(settings).ifPresent(jar -> inPod.put(LauncherConfig.JAR.key(),
                DockerImage.sourceOf(jar).toString()));
        return LauncherConfig.from(new Settings(inPod)
                .withDefaults(Map.of(LauncherConfig.LEDGER.key(), LauncherConfig.Ledger.REGISTRY.name())));
    }

    private static void assertRegistryCredentials(Settings settings) {
        assertThat(settings.string(RegistryDataSource.USER.key())).isEqualTo(REGISTRY_USER);
        assertThat(settings.string(RegistryDataSource.PASSWORD.key())).isEqualTo(REGISTRY_PASSWORD);
    }

    /** RetrainConfig's components by name. */
    private static Map<String, Object> components(RetrainConfig config) {
        Map<String, Object> components = new LinkedHashMap<>();
        for (RecordComponent component : RetrainConfig.class.getRecordComponents()) {
            try {
                components.put(component.getName(), component.getAccessor().invoke(config));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return components;
    }

    /** The program arguments of a FlinkDeployment's job, with the paths its main container mounts made local. */
    private static List<String> flinkJobArgs(String deployment, String entryClass) throws Exception {
        JsonNode spec = K8sManifests.one("FlinkDeployment", deployment).resource().path("spec");
        assertThat(spec.path("job").path("entryClass").asText()).isEqualTo(entryClass);
        Pod pod = Pod.start(spec.path("podTemplate").path("spec"), SECRETS, podDirectory(deployment));
        // the operator passes job.args to Flink, which does not expand $(VAR)
        return pod.withLocalPaths(FLINK_MAIN_CONTAINER, Pod.texts(spec.path("job").path("args")));
    }

    /** The program arguments of a container that runs {@code java ... <mainClass>}, as Kubernetes expands them. */
    private static List<String> containerArgs(String kind, String name, String container, String mainClass)
            throws Exception {
        Pod pod = Pod.start(podSpec(K8sManifests.one(kind, name).resource()), SECRETS, podDirectory(name));
        List<String> command = pod.command(container);
        assertThat(command).last().isEqualTo(mainClass);
        return pod.args(container);
    }

    private static JsonNode podSpec(JsonNode workload) {
        return workload.path("spec").path("template").path("spec");
    }

    private static JsonNode container(JsonNode podSpec, String name) {
        for (JsonNode c : podSpec.path("containers")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no container " + name);
    }

    private static Path podDirectory(String name) throws IOException {
        return Files.createDirectories(dir.resolve(name));
    }

    private static Set<String> configuredKeys() throws IOException {
        JsonNode data = K8sManifests.one("ConfigMap", CONFIG_MAP).resource().path("data");
        assertThat(data.has(CONFIG_FILE)).as("%s holds %s", CONFIG_MAP, CONFIG_FILE).isTrue();
        Properties properties = new Properties();
        properties.load(new StringReader(data.path(CONFIG_FILE).asText()));
        return properties.stringPropertyNames();
    }
}
