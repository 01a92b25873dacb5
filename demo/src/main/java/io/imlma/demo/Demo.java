package io.imlma.demo;

import io.imlma.api.ApiServer;
import io.imlma.common.config.Settings;
import io.imlma.common.json.Json;
import io.imlma.common.types.RetrainCommand;
import io.imlma.jobs.MeterPipelineJob;
import io.imlma.jobs.connect.EttFileSource;
import io.imlma.jobs.connect.InProcessQueueSource;
import io.imlma.jobs.connect.JsonLinesFiles;
import io.imlma.jobs.launch.LauncherConfig;
import io.imlma.jobs.loop.ModelLoop;
import io.imlma.jobs.pipeline.JobEnvironment;
import io.imlma.jobs.pipeline.MeterPipeline;
import io.imlma.jobs.pipeline.PipelineConfig;
import io.imlma.jobs.pipeline.PipelineOutputs;
import io.imlma.jobs.retrain.RetrainConfig;
import io.imlma.jobs.snapshot.SnapshotStage;
import io.imlma.registry.jdbc.RegistryDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

/**
 * The embedded default: the meter pipeline and the closed model loop ({@link ModelLoop}: snapshots, trigger, local
 * retraining, registry, champion scoring, monitors) on a local Flink cluster (web UI, Prometheus reporter), replaying
 * an ETT-format CSV (the bundled ETTm1 by default) with RocksDB state and checkpoints, file:// snapshots and models,
 * an H2 registry and file outputs under a local work directory, and the HTTP API and web page beside it (auth off;
 * POST /train reaches the running job's trigger). No Kafka or other server.
 *
 * <p>Settings (besides those of {@link PipelineConfig} and {@link ModelLoop}, with demo defaults under the work
 * directory): {@code --input} (default {@code data/ETTm1.csv.gz}),
 * {@code --speed-up} (event time per wall time, default 100000: two years in about ten minutes; 0 = as fast as
 * possible), {@code --work-dir} (default {@code demo-work}), {@code --web-port} (8081), {@code --prometheus-port}
 * (9249), {@code --parallelism} (2).
 */
public final class Demo {
    private Demo() {}

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromArgs(args);
        Path workDir = Path.of(settings.string("work-dir", "demo-work")).toAbsolutePath().normalize();
        settings = settings.withDefaults(Map.ofEntries(
                Map.entry(PipelineConfig.CHECKPOINT_DIR, workDir.resolve("checkpoints").toUri().toString()),
                Map.entry(PipelineConfig.CHECKPOINT_INTERVAL, "10s"),
                // the replay is in file order: a little disorder tolerance is enough, and the last minutes of a
                // silent split should not stall the windows
                Map.entry(PipelineConfig.OUT_OF_ORDERNESS, "1min"),
                Map.entry(SnapshotStage.SNAPSHOT_PATH, workDir.resolve("snapshots").toUri().toString()),
                Map.entry(SnapshotStage.BACKUP_PATH, workDir.resolve("snapshots-backup").toUri().toString()),
                Map.entry(RetrainConfig.MODEL_STORE_PATH, workDir.resolve("models").toUri().toString()),
                Map.entry(RetrainConfig.MODEL_STORE_BACKUP_PATH, workDir.resolve("models-backup").toUri().toString()),
                Map.entry(RegistryDataSource.JDBC_URL, RegistryDataSource.h2SharedFile(workDir.resolve("registry"))),
                Map.entry(LauncherConfig.MODE, "local"),
                // first training after four weeks of the seven channels, then whenever the data grew by 10 %,
                // at most once per week of event time (a week replays in seconds; a retraining takes longer)
                Map.entry(SnapshotStage.MIN_INITIAL_ROWS, Integer.toString(7 * 96 * 28)),
                Map.entry(SnapshotStage.THETA, "0.10"),
                Map.entry(SnapshotStage.MIN_INTERVAL, "7d"),
                // the first training is planned after four weeks: a LOOP_STALL alarm after two such cycles
                Map.entry(SnapshotStage.EXPECTED_CYCLE, "28d"),
                Map.entry(SnapshotStage.PARTITION, "DAILY"),
                Map.entry(RetrainConfig.TUNING_TRIALS, "8"),
                Map.entry(RetrainConfig.TUNING_ROUND_SIZE, "4"),
                // event time of a replay of 2016 data is years behind the wall clock
                Map.entry("monitor.latency.event-budget", "0"),
                Map.entry("api.auth", "off")));
        PipelineConfig config = PipelineConfig.from(settings);
        Path input = Path.of(settings.string("input", "data/ETTm1.csv.gz"));
        Settings.require(Files.isRegularFile(input), "input", "no such file: " + input.toAbsolutePath());
        double speedUp = settings.decimal("speed-up", 100_000);
        Settings.require(speedUp >= 0, "speed-up", "must be 0 (as fast as possible) or positive");
        int webPort = settings.integer("web-port", 8081);
        int prometheusPort = settings.integer("prometheus-port", 9249);
        int parallelism = settings.integer("parallelism", 2);
        Settings.require(parallelism >= 1, "parallelism", "must be at least 1");

        Configuration flink = new Configuration();
        flink.set(RestOptions.PORT, webPort);
        flink.setString("metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        flink.setString("metrics.reporter.prom.port", Integer.toString(prometheusPort));
        flink.setString("state.backend.rocksdb.localdir", workDir.resolve("rocksdb").toString());
        StreamExecutionEnvironment env = JobEnvironment.configure(
                StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink), config);
        env.setParallelism(parallelism);

        String dataset = EttFileSource.dataset(input);
        PipelineOutputs pipeline = MeterPipeline.fromEttLines(config, EttFileSource.lines(env, input), dataset, speedUp);
        String manualQueue = "demo-manual-retrain-" + workDir;
        DataStream<RetrainCommand> commands = env
                .addSource(InProcessQueueSource.<RetrainCommand>reading(manualQueue),
                        TypeInformation.of(RetrainCommand.class))
                .name("api retrain requests").uid("api-retrain-requests").setParallelism(1)
                .assignTimestampsAndWatermarks(ModelLoop.commandWatermarks())
                .name("api retrain request time").uid("api-retrain-request-time").setParallelism(1);

        Path featuresDir = workDir.resolve("features");
        Path deadLettersDir = workDir.resolve("dead-letters");
        Path predictionsDir = workDir.resolve("predictions");
        Path alarmsDir = workDir.resolve("alarms");
        MeterPipelineJob.build(env, new MeterPipelineJob.Inputs(pipeline, commands, null),
                new MeterPipelineJob.Outputs(
                        new MeterPipelineJob.Output<>("features-files", JsonLinesFiles.sink(featuresDir)),
                        new MeterPipelineJob.Output<>("dead-letters-files", JsonLinesFiles.sink(deadLettersDir)),
                        new MeterPipelineJob.Output<>("predictions-files", JsonLinesFiles.sink(predictionsDir)),
                        new MeterPipelineJob.Output<>("alarms-files", JsonLinesFiles.sink(alarmsDir)),
                        null, null, null),
                settings);

        ApiServer api = ApiServer.open(settings, command -> InProcessQueueSource.offer(manualQueue, command))
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(api::stop, "api-stop"));

        JobClient job = env.executeAsync("imlma-demo-meter-pipeline");
        System.out.printf("""

                IMLMA demo: replaying %s at %s× real time (job %s)
                  Flink web UI      http://localhost:%d
                  Prometheus        http://localhost:%d/metrics   (e.g. grep imlma)
                  models and API    http://localhost:%d/   (web page; /models, POST /train, /predict, /evaluate)
                  feature rows      %s   (JSON lines; files complete at each checkpoint)
                  predictions       %s
                  alarms            %s   (also in the registry: /alarms)
                  dead letters      %s
                  snapshots         %s
                  model files       %s
                  registry          %s
                  checkpoints       %s
                The first retraining starts after four weeks of data; see the log for retrain outcomes.
                Stop with Ctrl-C.
                %n""", input, speedUp == 0 ? "max" : speedUp, job.getJobID(), webPort, prometheusPort, api.port(),
                featuresDir, predictionsDir, alarmsDir, deadLettersDir, settings.string(SnapshotStage.SNAPSHOT_PATH),
                settings.string(RetrainConfig.MODEL_STORE_PATH), settings.string(RegistryDataSource.JDBC_URL),
                config.checkpointDir());
        job.getJobExecutionResult().get();
        System.out.println("Replay finished; feature rows are in " + featuresDir);
        api.stop();
    }
}
