package io.imlma.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imlma.common.config.Settings;
import io.imlma.common.integrity.IntegrityStore;
import io.imlma.common.types.RetrainReason;
import io.imlma.common.types.RetrainRequest;
import io.imlma.jobs.MeterPipelineJob;
import io.imlma.jobs.RetrainJob;
import io.imlma.jobs.VerifySnapshotJob;
import io.imlma.jobs.cluster.SavepointOnStandaloneClusterIT.Topics;
import io.imlma.jobs.launch.LaunchOutcome;
import io.imlma.jobs.launch.LauncherConfig;
import io.imlma.jobs.launch.RetrainLauncher;
import io.imlma.jobs.retrain.RetrainResult;
import io.imlma.jobs.retrain.Retraining;
import io.imlma.jobs.snapshot.EttSnapshot;
import io.imlma.registry.ModelRegistry;
import io.imlma.registry.ModelVersion;
import io.imlma.registry.jdbc.JdbcModelRegistry;
import io.imlma.testkit.ChildJvm;
import io.imlma.testkit.ProjectRoot;
import io.imlma.testkit.SharedKafka;
import java.io.Writer;
import java.net.URI;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RetrainJob, which runs one Flink job per tuning round, on a real standalone session cluster (JobManager and
 * TaskManager JVMs on the project's flink-conf) with a MariaDB registry and a sealed snapshot of two weeks of ETTm1 in
 * the cluster's work directory, the two ways a session cluster runs a program that executes several times (REST's
 * {@code /jars/:jarid/run} refuses it): the launcher's {@code flink-client} mode (the driver in this JVM, each round
 * a job on the cluster, the shaded jar shipped) and {@code cluster/flink run}, Flink's CLI as {@code bin/flink run}
 * of a distribution. Either way every round is a FINISHED job on the cluster named after the request, and the
 * registry holds the new version with its trials, promoted to champion. The {@code flink-rest} launcher runs a
 * single-job program (VerifySnapshotJob) through the REST API of the same cluster. Then the streaming job through the
 * same CLI,
 * as README documents it: {@code run -d}, {@code list}, {@code stop --savepointPath}, {@code run -s}, {@code cancel}.
 * The streaming test runs last, so its job never holds the slots the tuning rounds need.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RetrainOnStandaloneClusterIT {
    private static final Logger LOG = LoggerFactory.getLogger(RetrainOnStandaloneClusterIT.class);
    private static final Path JOB_JAR = SavepointOnStandaloneClusterIT.JOB_JAR.toAbsolutePath();
    private static final Instant FROM = Instant.parse("2016-07-01T00:00:00Z");
    private static final int DAYS = 14;
    private static final Instant TO = FROM.plus(Duration.ofDays(DAYS));
    private static final List<String> CHANNELS = List.of("HUFL", "OT");
    private static final int TRIALS = 4;
    private static final int ROUND_SIZE = 2;
    private static final int ROUNDS = TRIALS / ROUND_SIZE;
    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    private static final Pattern SUBMITTED = Pattern.compile("Job has been submitted with JobID ([0-9a-f]{32})");
    private static final Pattern SAVEPOINT = Pattern.compile("Savepoint completed\\. Path: (\\S+)");

    @RegisterExtension
    static final ClusterWithRegistry CLUSTER = new ClusterWithRegistry(Map.of());
    /** The RetrainJob settings both ways share: snapshot, model store and registry, a small tuning budget. */
    private static Map<String, String> jobSettings;

    @BeforeAll
    static void startClusterAndWriteSnapshot() throws Exception {
        Path storage = CLUSTER.cluster().workDir().resolve("retrain");
        IntegrityStore snapshots = new IntegrityStore(storage.resolve("snapshots").toUri(),
                storage.resolve("snapshots-backup").toUri());
        EttSnapshot.write(snapshots, CHANNELS, 96 * DAYS);
        jobSettings = new LinkedHashMap<>();
        jobSettings.put("snapshot.path", snapshots.primaryBase().toString());
        jobSettings.put("snapshot.backup-path", snapshots.backupBase().toString());
        jobSettings.put("model.store.path", storage.resolve("models").toUri().toString());
        jobSettings.put("model.store.backup-path", storage.resolve("models-backup").toUri().toString());
        jobSettings.put("registry.jdbc-url", CLUSTER.registry().jdbcUrl());
        jobSettings.put("registry.user", CLUSTER.registry().user());
        jobSettings.put("registry.password", CLUSTER.registry().password());
        jobSettings.put("training.model", "linear");
        // two weeks give each meter 510 day-ahead training windows, fewer than the default minimum
        jobSettings.put("training.min-windows-per-meter", "300");
        jobSettings.put("tuning.method", "bo");
        jobSettings.put("tuning.trials", Integer.toString(TRIALS));
        jobSettings.put("tuning.round-size", Integer.toString(ROUND_SIZE));
        jobSettings.put("tuning.patience", "0");
        jobSettings.put("tuning.seed", "7");
    }

    @Test
    @Order(1)
    void theFlinkClientLauncherRunsEveryTuningRoundOnTheCluster() throws Exception {
        assertThat(JOB_JAR).as("the shaded job jar (run as a failsafe IT after package)").isRegularFile();
        Map<String, String> settings = new HashMap<>(jobSettings);
        settings.put(LauncherConfig.MODE.key(), "flink-client");
        settings.put(LauncherConfig.REST_ADDRESS.key(), CLUSTER.cluster().restAddress().toString());
        settings.put(LauncherConfig.JAR.key(), JOB_JAR.toString());
        String model = "load-forecast-launcher";
        RetrainRequest request = new RetrainRequest("launcher-1", model, RetrainReason.VOLUME, FROM.toEpochMilli(),
                TO.toEpochMilli(), 0, 96L * DAYS * CHANNELS.size(), TO.toEpochMilli());

        long started = System.nanoTime();
        LaunchOutcome outcome;
        try (RetrainLauncher launcher = LauncherConfig.from(new Settings(settings)).create()) {
            outcome = launcher.launch(request).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        LOG.info("flink-client launcher: retrain with {} rounds in {} ms", ROUNDS, millisSince(started));

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(LaunchOutcome.Status.SUCCEEDED);
        assertThat(outcome.mode()).isEqualTo("flink-client");
        assertThat(outcome.results()).containsEntry(RetrainResult.VERSION, "1")
                .containsEntry(RetrainResult.PROMOTED, "true");
        roundsFinishedOnTheCluster("launcher-1", model);
        promotedWithItsTrials("launcher-1", model);
    }

    @Test
    @Order(2)
    void flinkRunOfTheShadedJarRunsRetrainJobOnTheCluster() throws Exception {
        String model = "load-forecast-cli";
        Path config = CLUSTER.cluster().workDir().resolve("retrain.properties");
        Properties properties = new Properties();
        properties.putAll(jobSettings);
        try (Writer out = Files.newBufferedWriter(config)) {
            properties.store(out, "RetrainJob settings of " + getClass().getSimpleName());
        }
        List<String> run = List.of("run", "-p", "2", "-c", RetrainJob.class.getName(), JOB_JAR.toString(),
                "--config", config.toString(), "--request-id", "cli-1", "--model", model,
                "--data-from", FROM.toString(), "--data-to", TO.toString());

        long started = System.nanoTime();
        String output = flinkCli("retrain", run);
        LOG.info("cluster/flink run: retrain with {} rounds in {} ms", ROUNDS, millisSince(started));

        List<String> submitted = all(SUBMITTED, output);
        assertThat(submitted).as("the client submits one job per round:%n%s", output)
                .containsExactlyInAnyOrderElementsOf(roundsFinishedOnTheCluster("cli-1", model));
        promotedWithItsTrials("cli-1", model);
    }

    @Test
    @Order(3)
    void theFlinkRestLauncherRunsASingleJobProgramOnTheCluster() throws Exception {
        Map<String, String> settings = new HashMap<>(jobSettings);
        settings.put(LauncherConfig.MODE.key(), "flink-rest");
        settings.put(LauncherConfig.REST_ADDRESS.key(), CLUSTER.cluster().restAddress().toString());
        settings.put(LauncherConfig.JAR.key(), JOB_JAR.toString());
        settings.put(LauncherConfig.ENTRY_CLASS.key(), VerifySnapshotJob.class.getName());
        settings.put(LauncherConfig.POLL_INTERVAL.key(), "200ms");
        RetrainRequest request = new RetrainRequest("rest-1", "load-forecast-rest", RetrainReason.VOLUME,
                FROM.toEpochMilli(), TO.toEpochMilli(), 0, 96L * DAYS * CHANNELS.size(), TO.toEpochMilli());

        LaunchOutcome outcome;
        try (RetrainLauncher launcher = LauncherConfig.from(new Settings(settings)).create()) {
            outcome = launcher.launch(request).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        assertThat(outcome.status()).as(outcome.message()).isEqualTo(LaunchOutcome.Status.SUCCEEDED);
        assertThat(outcome.results()).containsEntry(VerifySnapshotJob.ROWS,
                Long.toString(96L * DAYS * CHANNELS.size()));
        JsonNode job = new ClusterRest(CLUSTER.cluster().restAddress()).get("jobs/" + outcome.jobId());
        assertThat(job.path("state").asText()).as("the uploaded jar's job on the cluster").isEqualTo("FINISHED");
    }

    @Test
    @Order(4)
    void theStreamingJobRunsDetachedIsListedStopsWithASavepointAndResumes() throws Exception {
        Topics topics = Topics.create(SharedKafka.broker(), "cli");
        ClusterRest rest = new ClusterRest(CLUSTER.cluster().restAddress());
        List<String> pipeline = new ArrayList<>(List.of("-c", MeterPipelineJob.class.getName(), JOB_JAR.toString()));
        pipeline.addAll(topics.pipelineArgs(CLUSTER.cluster(), CLUSTER.registry()));

        List<String> detached = new ArrayList<>(List.of("run", "-d"));
        detached.addAll(pipeline);
        String jobId = single(SUBMITTED, flinkCli("pipeline-run", detached));
        rest.awaitJob(jobId, ClusterRest::allTasksRunning, TIMEOUT, "running with all tasks");
        assertThat(flinkCli("list", List.of("list"))).as("flink list").contains(jobId + " : ")
                .containsPattern(Pattern.quote(jobId) + " : .* \\(RUNNING\\)");

        Path savepoints = CLUSTER.cluster().workDir().resolve("cli-savepoints");
        String savepoint = single(SAVEPOINT, flinkCli("stop", List.of("stop", "--savepointPath",
                savepoints.toUri().toString(), jobId)));
        assertThat(Path.of(URI.create(savepoint))).as("the savepoint in the directory asked for")
                .startsWith(savepoints).isDirectory();
        rest.awaitJob(jobId, j -> "FINISHED".equals(j.path("state").asText()), TIMEOUT, "finished after the stop");

        List<String> resume = new ArrayList<>(List.of("run", "-d", "-s", savepoint));
        resume.addAll(pipeline);
        String resumedId = single(SUBMITTED, flinkCli("pipeline-resume", resume));
        rest.awaitJob(resumedId, ClusterRest::allTasksRunning, TIMEOUT, "running with all tasks");
        JsonNode restored = rest.get("jobs/" + resumedId + "/checkpoints").path("latest").path("restored");
        assertThat(restored.path("is_savepoint").asBoolean()).as(restored.toString()).isTrue();
        assertThat(restored.path("external_path").asText()).isEqualTo(savepoint);

        flinkCli("cancel", List.of("cancel", resumedId));
        rest.awaitJob(resumedId, j -> "CANCELED".equals(j.path("state").asText()), TIMEOUT, "canceled");
    }

    /**
     * The request's tuning rounds as jobs of the cluster ({@code /jobs/overview}), named as {@code FlinkTuning} names
     * them, every one FINISHED; returns their ids.
     */
    private static List<String> roundsFinishedOnTheCluster(String requestId, String model) throws Exception {
        String prefix = "retrain " + requestId + " of " + model + " round ";
        JsonNode jobs = new ClusterRest(CLUSTER.cluster().restAddress()).get("jobs/overview").path("jobs");
        List<JsonNode> rounds = StreamSupport.stream(jobs.spliterator(), false)
                .filter(job -> job.path("name").asText().startsWith(prefix)).toList();
        assertThat(rounds).as("jobs of %s on the cluster", requestId)
                .extracting(job -> job.path("name").asText())
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, ROUNDS).mapToObj(r -> prefix + r).toList());
        assertThat(rounds).extracting(job -> job.path("state").asText()).containsOnly("FINISHED");
        return rounds.stream().map(job -> job.path("jid").asText()).toList();
    }

    /** The registry holds v1 of {@code model}, trained by this request, with its trials, and promoted it. */
    private static void promotedWithItsTrials(String requestId, String model) {
        try (ModelRegistry models = JdbcModelRegistry.open(new Settings(jobSettings), (path, sha) -> { })) {
            ModelVersion champion = models.champion(model).orElseThrow(
                    () -> new AssertionError("no champion of " + model + "; versions " + models.versions(model)));
            assertThat(champion.version()).isEqualTo(1);
            assertThat(champion.trainingRun()).isEqualTo(requestId);
            assertThat(champion.snapshotId()).isEqualTo("dt=2016-07-01..dt=2016-07-14");
            assertThat(models.promotions(model)).singleElement()
                    .satisfies(p -> assertThat(p.by()).isEqualTo(Retraining.PROMOTED_BY));
            assertThat(models.trialsOf(model, 1)).hasSize(TRIALS).allSatisfy(trial -> {
                assertThat(trial.tuner()).isEqualTo("bayesian");
                assertThat(trial.validationMae()).isPositive();
            });
        }
    }

    /**
     * Runs {@code cluster/flink} on this cluster's work directory, as a user would, and returns its output; fails on
     * a non-zero exit or when it does not end within {@link #TIMEOUT}. The output is kept in the cluster's log
     * directory as {@code cli-<name>.out}.
     */
    private static String flinkCli(String name, List<String> args) {
        return ChildJvm.script(ProjectRoot.resolve("cluster/flink")).name("cluster/flink " + args.get(0))
                .args("--work-dir", CLUSTER.cluster().workDir().toString()).args(args)
                .output(CLUSTER.cluster().workDir().resolve("log").resolve("cli-" + name + ".out"))
                .run(TIMEOUT);
    }

    private static List<String> all(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    private static String single(Pattern pattern, String text) {
        List<String> found = all(pattern, text);
        assertThat(found).as("%s in:%n%s", pattern, text).hasSize(1);
        return found.get(0);
    }

    private static long millisSince(long nanoTime) {
        return Duration.ofNanos(System.nanoTime() - nanoTime).toMillis();
    }
}
