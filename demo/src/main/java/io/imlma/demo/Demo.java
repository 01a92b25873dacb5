package io.imlma.demo;

import io.imlma.api.ApiConfig;
import io.imlma.api.ApiServer;
import io.imlma.api.LatestForecasts;
import io.imlma.common.config.Catalogue;
import io.imlma.common.config.Option;
import io.imlma.common.config.Settings;
import io.imlma.common.integrity.SnapshotLocation;
import io.imlma.common.types.ModelUpdate;
import io.imlma.common.types.RetrainCommand;
import io.imlma.jobs.JobSettings;
import io.imlma.jobs.MeterPipelineJob;
import io.imlma.jobs.connect.EttFileSource;
import io.imlma.jobs.connect.InProcessQueueSource;
import io.imlma.jobs.connect.JsonLinesFiles;
import io.imlma.jobs.launch.JdbcLaunchLedger;
import io.imlma.jobs.launch.LaunchOutcome;
import io.imlma.jobs.launch.LauncherConfig;
import io.imlma.jobs.loop.ModelLoop;
import io.imlma.jobs.pipeline.JobEnvironment;
import io.imlma.jobs.pipeline.MeterPipeline;
import io.imlma.jobs.pipeline.PipelineConfig;
import io.imlma.jobs.pipeline.PipelineOutputs;
import io.imlma.jobs.retrain.RetrainConfig;
import io.imlma.registry.ModelStore;
import io.imlma.registry.jdbc.JdbcModelRegistry;
import io.imlma.registry.jdbc.RegistryDataSource;
import io.imlma.udf.monitor.LatencyMonitor;
import io.imlma.udf.trigger.TriggerConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: the meter pipeline and the closed model loop ({@link ModelLoop}: snapshots, trigger, local
 * retraining, registry, champion scoring, monitors) on a local Flink cluster (dashboard, Prometheus reporter),
 * replaying an ETT-format CSV (the bundled ETTm1 by default) with RocksDB state and checkpoints, file:// snapshots and
 * models, an H2 registry and file outputs under a local work directory, and the HTTP API and web page beside it (auth
 * off, so every server binds to 127.0.0.1 only; POST /train reaches the running job's trigger). No Kafka or other
 * server. The console shows a status line and one line per retraining outcome and alarm ({@link DemoConsole});
 * SIGTERM or Ctrl-C stops it within seconds, also during a retraining, which is recorded as abandoned.
 *
 * <p>Settings: the streaming job's and the API's, with demo defaults under the work directory, and the demo's own
 * {@link #OPTIONS}; {@link #settings} lists them all (docs/settings.md lists the programs' and {@code --help} the
 * demo's).
 */
public final class Demo {
    private static final Logger LOG = LoggerFactory.getLogger(Demo.class);
    static final Option<String> INPUT = Option.string("input").defaultValue("data/ETTm1.csv.gz")
            .description("The ETT-format CSV replayed, plain or gzip.");
    static final Option<Double> SPEED_UP = Option.decimal("speed-up").defaultValue(100_000.0)
            .check(x -> x >= 0, "must be 0 (as fast as possible) or positive")
            .description("Event time per wall time: 100000 replays two years in about ten minutes; 0 = as fast as"
                    + " possible.");
    static final Option<String> WORK_DIR = Option.string("work-dir").defaultValue("demo-work")
            .description("Where checkpoints, snapshots, models, the registry and the outputs go.");
    static final Option<Integer> WEB_PORT = port("web-port", 8081, "The Flink dashboard's port.");
    static final Option<Integer> PROMETHEUS_PORT = port("prometheus-port", 9249, "The Prometheus reporter's port.");
    static final Option<Integer> PARALLELISM = Option.integer("parallelism").defaultValue(2)
            .check(n -> n >= 1, "must be at least 1").description("Parallelism of the job on the local cluster.");
    static final List<Option<?>> OPTIONS = List.of(INPUT, SPEED_UP, WORK_DIR, WEB_PORT, PROMETHEUS_PORT, PARALLELISM);
    /** Exit status of a start that could not complete. */
    static final int START_FAILED = 2;
    private static final String LOOPBACK = "127.0.0.1";
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(14);

    private Demo() {}

    private static Option<Integer> port(String key, int defaultPort, String description) {
        return Option.integer(key).defaultValue(defaultPort).check(p -> p >= 1 && p <= 65_535,
                "must be a TCP port (1..65535)").description(description);
    }

    /** What the demo reads: the streaming job's settings, the API's and its own. */
    static Catalogue settings() {
        return Catalogue.of("demo").with(JobSettings.meterPipelineJob()).with(ApiServer.settings()).with(OPTIONS);
    }

    public static void main(String[] args) {
        Running demo;
        try {
            Optional<Settings> settings = settings().start(args);
            if (settings.isEmpty()) { // --help
                return;
            }
            demo = start(settings.get());
        } catch (Exception e) {
            System.err.println("imlma demo: " + StartChecks.describe(e));
            LOG.error("The demo could not start", e);
            System.exit(START_FAILED);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(demo::stop, "demo-stop"));
        System.exit(demo.awaitEnd());
    }

    /** Checks what the start needs, then starts the job, the API and the console; nothing is left running on failure. */
    static Running start(Settings given) throws Exception {
        Path workDir = Path.of(WORK_DIR.value(given)).toAbsolutePath().normalize();
        Settings settings = given.withDefaults(defaults(workDir));
        PipelineConfig config = PipelineConfig.from(settings);
        Path input = Path.of(INPUT.value(settings));
        StartChecks.requireReadableFile(input, INPUT.key());
        double speedUp = SPEED_UP.value(settings);
        int webPort = WEB_PORT.value(settings);
        int prometheusPort = PROMETHEUS_PORT.value(settings);
        int parallelism = PARALLELISM.value(settings);
        StartChecks.requireFreePort(LOOPBACK, webPort, WEB_PORT.key());
        StartChecks.requireFreePort(LOOPBACK, prometheusPort, PROMETHEUS_PORT.key());
        StartChecks.requireFreePort(LOOPBACK, ApiConfig.from(settings).port(), ApiConfig.PORT.key());
        ReplaySpan span = ReplaySpan.of(input);

        List<AutoCloseable> opened = new ArrayList<>();
        try {
            JdbcModelRegistry registry = StartChecks.opening(RegistryDataSource.JDBC_URL.key(),
                    () -> JdbcModelRegistry.open(settings, (path, sha256) -> { }));
            opened.add(registry);
            JdbcLaunchLedger ledger = JdbcLaunchLedger.open(settings);
            opened.add(ledger);

            StreamExecutionEnvironment env = JobEnvironment.configure(
                    StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(
                            flinkConfiguration(webPort, prometheusPort, workDir)), config);
            env.setParallelism(parallelism);
            ApiQueues queues = new ApiQueues("demo-manual-retrain-" + workDir, "demo-champion-changes-" + workDir);
            LatestForecasts forecasts = new LatestForecasts();
            Outputs outputs = buildJob(env, settings, config, input, speedUp, queues, workDir, forecasts);

            ApiServer api = ApiServer.open(settings, command -> InProcessQueueSource.offer(queues.commands(), command),
                    champion -> InProcessQueueSource.offer(queues.champions(), champion), forecasts).start();
            opened.add(api::stop);
            JobClient job = env.executeAsync("imlma-demo-meter-pipeline");
            opened.add(() -> job.cancel().get(5, TimeUnit.SECONDS));

            printWhereToLook(settings, input, speedUp, job, webPort, prometheusPort, api.port(), outputs, config);
            DemoConsole console = new DemoConsole(System.out, System.console() != null, span,
                    new FlinkJobWatermark(URI.create("http://" + LOOPBACK + ":" + webPort), job.getJobID().toString(),
                            "preprocess")::current,
                    registry, ledger);
            console.start();
            return new Running(job, api, registry, ledger, console, outputs.features());
        } catch (Exception | Error e) {
            closeAll(opened);
            throw e;
        }
    }

    private static Map<String, String> defaults(Path workDir) {
        return Map.ofEntries(
                Map.entry(PipelineConfig.CHECKPOINT_DIR.key(), workDir.resolve("checkpoints").toUri().toString()),
                Map.entry(PipelineConfig.CHECKPOINT_INTERVAL.key(), "10s"),
                // the replay is in file order: a little disorder tolerance is enough, and the last minutes of a
                // silent split should not stall the windows
                Map.entry(PipelineConfig.OUT_OF_ORDERNESS.key(), "1min"),
                Map.entry(SnapshotLocation.PATH.key(), workDir.resolve("snapshots").toUri().toString()),
                Map.entry(SnapshotLocation.BACKUP_PATH.key(), workDir.resolve("snapshots-backup").toUri().toString()),
                Map.entry(ModelStore.PATH.key(), workDir.resolve("models").toUri().toString()),
                Map.entry(ModelStore.BACKUP_PATH.key(), workDir.resolve("models-backup").toUri().toString()),
                // one process: the job, the API and the console share the embedded database; it is closed by the
                // demo's own stop, after the job's last writes (H2's exit hook would race them)
                Map.entry(RegistryDataSource.JDBC_URL.key(),
                        RegistryDataSource.h2File(workDir.resolve("registry")) + ";DB_CLOSE_ON_EXIT=FALSE"),
                Map.entry(LauncherConfig.MODE.key(), "local"),
                // first training after four weeks of the seven channels, then whenever the data grew by 10 %,
                // at most once per week of event time (a week replays in seconds; a retraining takes longer)
                Map.entry(TriggerConfig.MIN_INITIAL_ROWS.key(), Integer.toString(7 * 96 * 28)),
                Map.entry(TriggerConfig.THETA.key(), "0.10"),
                Map.entry(TriggerConfig.MIN_INTERVAL.key(), "7d"),
                // the first training is planned after four weeks: a LOOP_STALL alarm after two such cycles
                Map.entry(TriggerConfig.EXPECTED_CYCLE.key(), "28d"),
                Map.entry(SnapshotLocation.PARTITION.key(), "DAILY"),
                Map.entry(RetrainConfig.TUNING_TRIALS.key(), "8"),
                Map.entry(RetrainConfig.TUNING_ROUND_SIZE.key(), "4"),
                // event time of a replay of 2016 data is years behind the wall clock
                Map.entry(LatencyMonitor.EVENT_BUDGET.key(), "0"),
                Map.entry(ApiConfig.AUTH.key(), "off"));
    }

    /**
     * A local cluster reachable from this machine only: REST API and dashboard, RPC, blob server, data exchange and
     * the Prometheus reporter on the loopback interface, and no jar upload through the web UI.
     */
    static Configuration flinkConfiguration(int webPort, int prometheusPort, Path workDir) {
        Configuration flink = new Configuration();
        flink.set(RestOptions.PORT, webPort);
        flink.set(RestOptions.ADDRESS, LOOPBACK);
        flink.set(RestOptions.BIND_ADDRESS, LOOPBACK);
        flink.set(WebOptions.SUBMIT_ENABLE, false);
        flink.set(JobManagerOptions.ADDRESS, LOOPBACK);
        flink.set(JobManagerOptions.BIND_HOST, LOOPBACK);
        flink.set(TaskManagerOptions.HOST, LOOPBACK);
        flink.set(TaskManagerOptions.BIND_HOST, LOOPBACK);
        flink.setString("metrics.reporter.prom.factory.class", LoopbackPrometheusReporter.Factory.class.getName());
        flink.setString("metrics.reporter.prom.port", Integer.toString(prometheusPort));
        flink.setString("state.backend.rocksdb.localdir", workDir.resolve("rocksdb").toString());
        return flink;
    }

    /** Where the job's file outputs go. */
    record Outputs(Path features, Path deadLetters, Path predictions, Path alarms) {}

    /**
     * The in-process queues from the API to the job: POST /train's retrain commands, and the champions of promotions
     * and rollbacks made through the API, for the scorer.
     */
    record ApiQueues(String commands, String champions) {}

    private static Outputs buildJob(StreamExecutionEnvironment env, Settings settings, PipelineConfig config,
            Path input, double speedUp, ApiQueues queues, Path workDir, LatestForecasts forecasts) {
        String dataset = EttFileSource.dataset(input);
        PipelineOutputs pipeline = MeterPipeline.fromEttLines(config, EttFileSource.lines(env, input), dataset, speedUp);
        DataStream<RetrainCommand> commands = env
                .addSource(InProcessQueueSource.<RetrainCommand>reading(queues.commands()),
                        TypeInformation.of(RetrainCommand.class))
                .name("api retrain requests").uid("api-retrain-requests").setParallelism(1)
                .assignTimestampsAndWatermarks(ModelLoop.commandWatermarks())
                .name("api retrain request time").uid("api-retrain-request-time").setParallelism(1);
        Outputs outputs = new Outputs(workDir.resolve("features"), workDir.resolve("dead-letters"),
                workDir.resolve("predictions"), workDir.resolve("alarms"));
        DataStream<ModelUpdate> champions = env
                .addSource(InProcessQueueSource.<ModelUpdate>reading(queues.champions()),
                        TypeInformation.of(ModelUpdate.class))
                .name("api champion changes").uid("api-champion-changes").setParallelism(1);
        ModelLoop.Outputs loop = MeterPipelineJob.build(env, new MeterPipelineJob.Inputs(pipeline, commands, champions),
                new MeterPipelineJob.Outputs(
                        new MeterPipelineJob.Output<>("features-files", JsonLinesFiles.sink(outputs.features())),
                        new MeterPipelineJob.Output<>("dead-letters-files", JsonLinesFiles.sink(outputs.deadLetters())),
                        new MeterPipelineJob.Output<>("predictions-files", JsonLinesFiles.sink(outputs.predictions())),
                        new MeterPipelineJob.Output<>("alarms-files", JsonLinesFiles.sink(outputs.alarms())),
                        null, null, null),
                settings);
        loop.predictions().sinkTo(ForecastsToApi.to("demo-forecasts-" + workDir, forecasts))
                .name("forecasts to the api").uid("forecasts-to-the-api");
        return outputs;
    }

    private static void printWhereToLook(Settings settings, Path input, double speedUp, JobClient job, int webPort,
            int prometheusPort, int apiPort, Outputs outputs, PipelineConfig config) {
        System.out.printf("""

                IMLMA demo: replaying %s at %s× real time (job %s)
                  Flink dashboard   http://localhost:%d   (the job, its operators, checkpoints, metrics)
                  models and API    http://localhost:%d/   (web page; /models, POST /train, /predict, /evaluate)
                  Prometheus        http://localhost:%d/metrics   (e.g. grep imlma)
                  feature rows      %s   (JSON lines; files complete at each checkpoint)
                  predictions       %s
                  alarms            %s   (also in the registry: /alarms)
                  dead letters      %s
                  snapshots         %s
                  model files       %s
                  registry          %s
                  checkpoints       %s
                  log               %s
                All of it listens on 127.0.0.1 only. The first retraining starts after four weeks of data; each
                retraining's outcome and each alarm gets a line below. Stop with Ctrl-C.
                %n""", input, speedUp == 0 ? "max" : speedUp, job.getJobID(), webPort, apiPort, prometheusPort,
                outputs.features(), outputs.predictions(), outputs.alarms(), outputs.deadLetters(),
                settings.string(SnapshotLocation.PATH.key()), settings.string(ModelStore.PATH.key()),
                settings.string(RegistryDataSource.JDBC_URL.key()), config.checkpointDir(),
                System.getProperty("imlma.log.file", "(log4j2 default)"));
    }

    private static void closeAll(List<AutoCloseable> opened) {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                LOG.warn("Closing after a failed start", e);
            }
        }
    }

    /** A started demo: waits for the end of the replay, or stops on a signal. */
    static final class Running {
        private final JobClient job;
        private final ApiServer api;
        private final JdbcModelRegistry registry;
        private final JdbcLaunchLedger ledger;
        private final DemoConsole console;
        private final Path features;
        private final AtomicBoolean stopped = new AtomicBoolean();

        Running(JobClient job, ApiServer api, JdbcModelRegistry registry, JdbcLaunchLedger ledger,
                DemoConsole console, Path features) {
            this.job = job;
            this.api = api;
            this.registry = registry;
            this.ledger = ledger;
            this.console = console;
            this.features = features;
        }

        /** @return the process's exit status: 0 when the replay ran to its end */
        int awaitEnd() {
            try {
                job.getJobExecutionResult().get();
                console.poll();
                console.say("Replay finished; feature rows are in " + features);
                stop();
                return 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            } catch (ExecutionException e) {
                if (stopped.get()) {
                    return 0; // cancelled by stop()
                }
                LOG.error("The demo job failed", e);
                System.err.println("imlma demo: the job failed: " + e.getCause() + " (details in the log)");
                stop();
                return 1;
            }
        }

        /**
         * Cancels the job (which interrupts a retraining in flight), records launches left running as abandoned,
         * stops the API and closes the registry; halts the JVM if that takes longer than {@link #STOP_DEADLINE}.
         */
        void stop() {
            if (!stopped.compareAndSet(false, true)) {
                return;
            }
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(STOP_DEADLINE.toMillis());
                    System.err.println("imlma demo: did not stop within " + STOP_DEADLINE.toSeconds() + " s; halting");
                    Runtime.getRuntime().halt(1);
                } catch (InterruptedException e) {
                    // stopped in time
                }
            }, "demo-stop-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            console.say("stopping: cancelling the job ...");
            console.close();
            cancelAndAwaitTheJob(STOP_DEADLINE.toMillis() * 2 / 3);
            abandonRunningLaunches();
            api.stop();
            ledger.close();
            registry.close();
            watchdog.interrupt();
        }

        /**
         * Cancels the job and waits until it has ended, at most {@code budgetMillis}: the cancel is acknowledged
         * before the tasks have closed, and a launcher still running could otherwise claim a launch after the
         * abandoned ones were recorded.
         */
        private void cancelAndAwaitTheJob(long budgetMillis) {
            long deadline = System.currentTimeMillis() + budgetMillis;
            try {
                job.cancel().get(budgetMillis, TimeUnit.MILLISECONDS);
                while (!job.getJobStatus().get(Math.max(1, deadline - System.currentTimeMillis()),
                        TimeUnit.MILLISECONDS).isGloballyTerminalState()) {
                    if (System.currentTimeMillis() > deadline) {
                        LOG.warn("The demo job has not ended {} ms after its cancel", budgetMillis);
                        return;
                    }
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // the job has ended and its cluster shut down, or the cluster does not answer
                LOG.info("Cancelling the demo job: {}", e.toString());
            }
        }

        private void abandonRunningLaunches() {
            long now = System.currentTimeMillis();
            for (LaunchOutcome launch : ledger.launches()) {
                if (launch.status() == LaunchOutcome.Status.RUNNING) {
                    ledger.record(new LaunchOutcome(launch.requestId(), launch.mode(), launch.jobId(),
                            LaunchOutcome.Status.CANCELED, launch.startedAt(), now, "abandoned: the demo was stopped",
                            launch.results()));
                    System.out.println("retraining abandoned (request " + launch.requestId() + ")");
                }
            }
        }
    }
}
