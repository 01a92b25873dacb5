package io.imlma.bench;

import io.imlma.common.config.Settings;
import io.imlma.common.ett.EttFiles;
import io.imlma.common.integrity.SnapshotLocation;
import io.imlma.common.types.Prediction;
import io.imlma.common.types.RetrainRequest;
import io.imlma.jobs.connect.InProcessQueueSource;
import io.imlma.jobs.launch.JdbcLaunchLedger;
import io.imlma.jobs.launch.LaunchOutcome;
import io.imlma.jobs.launch.LauncherConfig;
import io.imlma.jobs.loop.ModelLoop;
import io.imlma.jobs.pipeline.JobEnvironment;
import io.imlma.jobs.pipeline.MeterPipeline;
import io.imlma.jobs.pipeline.PipelineConfig;
import io.imlma.jobs.pipeline.PipelineOutputs;
import io.imlma.jobs.retrain.RetrainConfig;
import io.imlma.jobs.retrain.RetrainResult;
import io.imlma.registry.ModelStore;
import io.imlma.registry.ModelVersion;
import io.imlma.registry.jdbc.JdbcModelRegistry;
import io.imlma.registry.jdbc.RegistryDataSource;
import io.imlma.udf.ingest.ParseEttLine;
import io.imlma.udf.trigger.TriggerConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.ToLongFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.FileUtils;
import org.hipparchus.stat.descriptive.StreamingStatistics;

/**
 * Time from a retrain trigger to the new champion serving, through the real closed loop: the meter pipeline with
 * {@link ModelLoop} (snapshots, trigger, local launcher running {@code RetrainJob}, H2 registry, file:// model store,
 * champion scorer) on a local Flink cluster in this JVM, as {@code ./bin/imlma demo} runs it. The input's lines are
 * fed through an in-process queue: the first weeks at once, then at a steady pace, until the configured number of
 * retrainings have registered a version and every request up to then has ended (failed, rejected, or its new version
 * has served a forecast).
 * Each phase is read in wall-clock time from where the system records it: probes at the end of the job for the
 * requests and forecasts, the registry for the launch, the version and the promotion.
 */
final class UpdateLatencyExperiment {
    private static final String MODEL = "load-forecast";
    private static final long INTERVAL_MS = 15 * 60_000L;
    private static final int INTERVALS_PER_DAY = 96;
    private static final int PARALLELISM = 2;
    /** How often the feed tops up the queue and the outcome is checked. */
    private static final long TICK_MS = 200;
    private static final long NONE = 0;
    private static final int MESSAGE_CHARS = 120;

    /**
     * One retrain request and what became of it; times are wall-clock epoch ms, {@link #NONE} for steps that did
     * not happen.
     *
     * @param runStarted when its job could start: the launcher runs one job at a time, so not before the previous
     *                   request's launch finished
     */
    record Retrain(RetrainRequest request, long decided, long launchStarted, long runStarted, long registered,
                   long promoted, long launchFinished, long firstForecast, String outcome) {
        boolean served() {
            return firstForecast != NONE;
        }
    }

    private UpdateLatencyExperiment() {}

    static Section run(ExperimentConfig config, Progress progress) throws Exception {
        Path work = Files.createTempDirectory("imlma-update-latency");
        try {
            List<Retrain> retrains = measure(config, work, progress);
            return section(config, retrains);
        } finally {
            // Flink may still be discarding checkpoint files in there: its own delete tolerates that
            FileUtils.deleteDirectory(work.toFile());
        }
    }

    private static Settings loopSettings(ExperimentConfig config, Path work, int channels) {
        Map<String, String> s = new HashMap<>();
        s.put(PipelineConfig.CHECKPOINT_DIR.key(), work.resolve("checkpoints").toUri().toString());
        // partitions are committed, and so reach the trigger, on checkpoints
        s.put(PipelineConfig.CHECKPOINT_INTERVAL.key(), "1s");
        s.put(PipelineConfig.OUT_OF_ORDERNESS.key(), "1min"); // the replay is in file order, as in the demo
        s.put(SnapshotLocation.PATH.key(), work.resolve("snapshots").toUri().toString());
        s.put(SnapshotLocation.BACKUP_PATH.key(), work.resolve("snapshots-backup").toUri().toString());
        s.put(ModelStore.PATH.key(), work.resolve("models").toUri().toString());
        s.put(ModelStore.BACKUP_PATH.key(), work.resolve("models-backup").toUri().toString());
        s.put(RegistryDataSource.JDBC_URL.key(), RegistryDataSource.h2File(work.resolve("registry").toAbsolutePath()));
        s.put(LauncherConfig.MODE.key(), "local");
        s.put(LauncherConfig.PARALLELISM.key(), Integer.toString(PARALLELISM));
        // the default pass-through hands no tuning.* setting to the retraining job
        s.put(LauncherConfig.PASS_THROUGH.key(), LauncherConfig.PASS_THROUGH.defaultValue().orElseThrow() + ",tuning.");
        s.put(RetrainConfig.TRAINER.key(), config.latencyTrainer());
        s.put(RetrainConfig.TUNING_TRIALS.key(), Integer.toString(config.latencyTuningTrials()));
        s.put(RetrainConfig.TUNING_ROUND_SIZE.key(), Integer.toString(Math.min(4, config.latencyTuningTrials())));
        s.put(TriggerConfig.MIN_INITIAL_ROWS.key(), Long.toString(initialRows(config, channels)));
        // θ, minimum interval and the weekly schedule stay at the system's defaults
        s.put("monitor.latency.event-budget", "0"); // event time of the replay is years behind the wall clock
        return new Settings(s);
    }

    private static long initialRows(ExperimentConfig config, int channels) {
        return (long) channels * INTERVALS_PER_DAY * 7 * config.latencyInitialWeeks();
    }

    private static List<Retrain> measure(ExperimentConfig config, Path work, Progress progress) throws Exception {
        List<String> lines = ettLines(config.input(), config.maxRows());
        int channels = lines.get(0).split(",").length - 1;
        Settings settings = loopSettings(config, work, channels);
        String run = "update-latency-" + System.nanoTime();
        String requestsProbe = run + "-requests";
        String forecastsProbe = run + "-forecasts";
        JobClient job = startLoop(config, settings, run, requestsProbe, forecastsProbe);
        long deadline = System.currentTimeMillis() + config.latencyMinutes() * 60_000L;
        try (JdbcLaunchLedger ledger = JdbcLaunchLedger.open(settings);
                JdbcModelRegistry registry = JdbcModelRegistry.open(settings, (path, sha) -> { })) {
            // the first training needs the initial rows committed: their days and one more, whose rows close the last
            Feed feed = new Feed(run, lines, (int) (initialRows(config, channels) / channels) + INTERVALS_PER_DAY,
                    config.latencySpeedUp());
            progress.step("update latency: fed %d days at once, then %.0f× real time, until %d retrainings have "
                    + "registered a version", feed.days(), config.latencySpeedUp(), config.latencyRetrainings());
            int decided = 0;
            int reported = 0;
            while (true) {
                feed.topUp();
                int decidedNow = FirstArrivalSink.arrivals(requestsProbe).size();
                if (decidedNow > decided) {
                    decided = decidedNow;
                    progress.step("update latency: %d retrain request(s) decided, %d days fed", decided, feed.days());
                }
                List<Retrain> ended = ended(requestsProbe, forecastsProbe, ledger, registry);
                for (; reported < ended.size(); reported++) {
                    report(progress, reported + 1, ended.get(reported));
                }
                int enough = untilRetrained(ended, config.latencyRetrainings());
                if (enough > 0) {
                    awaitLaunchesEnded(requestsProbe, ledger, deadline);
                    return ended.subList(0, enough);
                }
                if (System.currentTimeMillis() > deadline || feed.exhausted()) {
                    throw new IllegalStateException(String.format(Locale.ROOT, "update latency: %d requests "
                            + "ended, not %d retrainings, after %d days of data and %d min; raise "
                            + "--latency.minutes or --data.weeks", ended.size(), config.latencyRetrainings(),
                            feed.days(), config.latencyMinutes()));
                }
                Thread.sleep(TICK_MS); // the feed's pace: top up the queue and look again
            }
        } finally {
            // its retrainings have ended (awaitLaunchesEnded), unless the run failed
            job.cancel().get();
            try {
                job.getJobExecutionResult().get(); // files are written until the job has stopped
            } catch (ExecutionException cancelled) {
                // the end asked for
            }
            FirstArrivalSink.forget(requestsProbe);
            FirstArrivalSink.forget(forecastsProbe);
        }
    }

    /** The meter pipeline and the model loop reading the queue {@code run}, with probes behind them, started. */
    private static JobClient startLoop(ExperimentConfig config, Settings settings, String run, String requestsProbe,
            String forecastsProbe) throws Exception {
        PipelineConfig pipelineConfig = PipelineConfig.from(settings);
        StreamExecutionEnvironment env = JobEnvironment.configure(
                StreamExecutionEnvironment.createLocalEnvironment(PARALLELISM), pipelineConfig);
        DataStream<String> input = env.addSource(InProcessQueueSource.<String>reading(run), Types.STRING)
                .name("ett lines").uid("ett-lines").setParallelism(1);
        PipelineOutputs pipeline = MeterPipeline.fromEttLines(pipelineConfig, input,
                ParseEttLine.datasetName(config.input().getFileName().toString()), 0);
        ModelLoop.Outputs loop = ModelLoop.attach(env, pipeline, null, null, settings);
        loop.retrainRequests().sinkTo(FirstArrivalSink.<RetrainRequest>named(requestsProbe, r -> r.requestId()))
                .name("retrain request probe").uid("retrain-request-probe");
        loop.predictions().sinkTo(FirstArrivalSink.<Prediction>named(forecastsProbe, p -> p.modelVersion()))
                .name("forecast probe").uid("forecast-probe");
        return env.executeAsync("update-latency");
    }

    /** The input's lines into the job's queue: the first rows at once, the rest at a steady pace. */
    private static final class Feed {
        private final String queue;
        private final List<String> lines;
        private final int warmUp;
        private final double rowsPerMs;
        private final long pacedFrom;
        private int fed;

        /** @param lines the header and the rows */
        Feed(String queue, List<String> lines, int warmUp, double speedUp) {
            this.queue = queue;
            this.lines = lines;
            this.warmUp = Math.min(warmUp, lines.size() - 1);
            this.rowsPerMs = speedUp / INTERVAL_MS;
            lines.subList(0, 1 + this.warmUp).forEach(line -> InProcessQueueSource.offer(queue, line));
            fed = this.warmUp;
            pacedFrom = System.currentTimeMillis();
        }

        /** Offers the rows due by now. */
        void topUp() {
            int due = (int) Math.min(lines.size() - 1,
                    warmUp + (System.currentTimeMillis() - pacedFrom) * rowsPerMs);
            for (; fed < due; fed++) {
                InProcessQueueSource.offer(queue, lines.get(fed + 1));
            }
        }

        boolean exhausted() {
            return fed == lines.size() - 1;
        }

        int days() {
            return fed / INTERVALS_PER_DAY;
        }
    }

    private static void report(Progress progress, int number, Retrain r) {
        progress.step("update latency: request %d (%s, data to %s): %s%s", number, r.request().reason(),
                day(r.request().dataTo()), r.outcome(), r.served() ? String.format(Locale.ROOT,
                        ", first forecast %.1f s after the decision", (r.firstForecast() - r.decided()) / 1000.0)
                        : "");
    }

    /**
     * How many of the ended requests it takes to include {@code retrainings} that registered a version (failed
     * launches, e.g. refused for too little data, are reported but not counted); 0 when there are not enough yet.
     */
    private static int untilRetrained(List<Retrain> ended, int retrainings) {
        int registered = 0;
        for (int i = 0; i < ended.size(); i++) {
            if (ended.get(i).registered() != NONE && ++registered == retrainings) {
                return i + 1;
            }
        }
        return 0;
    }

    /**
     * With the feed stopped, waits for retrainings still running (requests decided from rows already fed), so the
     * job is not cancelled under them and their files are gone only after they are done.
     */
    private static void awaitLaunchesEnded(String requestsProbe, JdbcLaunchLedger ledger, long deadline)
            throws InterruptedException {
        while (FirstArrivalSink.<RetrainRequest>arrivals(requestsProbe).values().stream().anyMatch(a -> ledger
                .find(a.record().requestId()).map(o -> !o.status().terminal()).orElse(true))) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("update latency: retrainings still running at the deadline");
            }
            Thread.sleep(TICK_MS); // poll interval of the ledger
        }
    }

    /**
     * The requests so far, in the order they were decided, up to the first that has not ended: one ends when its
     * launch has an outcome and, if that promoted a version, the version has served its first forecast.
     */
    private static List<Retrain> ended(String requestsProbe, String forecastsProbe, JdbcLaunchLedger ledger,
            JdbcModelRegistry registry) {
        Map<Object, FirstArrivalSink.Arrival<Prediction>> forecasts = FirstArrivalSink.arrivals(forecastsProbe);
        List<FirstArrivalSink.Arrival<RetrainRequest>> requests = FirstArrivalSink.<RetrainRequest>arrivals(
                requestsProbe).values().stream()
                .sorted(Comparator.comparingLong(FirstArrivalSink.Arrival::wallClockMs)).toList();
        List<Retrain> ended = new ArrayList<>();
        long previousFinished = NONE;
        for (FirstArrivalSink.Arrival<RetrainRequest> arrival : requests) {
            Optional<LaunchOutcome> launch = ledger.find(arrival.record().requestId())
                    .filter(o -> o.status().terminal());
            if (launch.isEmpty()) {
                break;
            }
            Retrain retrain = retrain(arrival, launch.get(), Math.max(launch.get().startedAt(), previousFinished),
                    forecasts, registry);
            if (retrain.promoted() != NONE && !retrain.served()) {
                break;
            }
            ended.add(retrain);
            previousFinished = launch.get().finishedAt();
        }
        return ended;
    }

    private static Retrain retrain(FirstArrivalSink.Arrival<RetrainRequest> arrival, LaunchOutcome launch,
            long runStarted, Map<Object, FirstArrivalSink.Arrival<Prediction>> forecasts, JdbcModelRegistry registry) {
        RetrainRequest request = arrival.record();
        String version = launch.results().get(RetrainResult.VERSION);
        if (launch.status() != LaunchOutcome.Status.SUCCEEDED || version == null) {
            return new Retrain(request, arrival.wallClockMs(), launch.startedAt(), runStarted, NONE, NONE,
                    launch.finishedAt(), NONE, launch.status().name().toLowerCase(Locale.ROOT) + ": "
                    + shortened(launch.message()));
        }
        int v = Integer.parseInt(version);
        ModelVersion registered = registry.version(MODEL, v);
        long promoted = registry.promotions(MODEL).stream().filter(p -> p.toVersion() == v)
                .mapToLong(p -> p.at().toEpochMilli()).findFirst().orElse(NONE);
        FirstArrivalSink.Arrival<Prediction> first = forecasts.get(v);
        return new Retrain(request, arrival.wallClockMs(), launch.startedAt(), runStarted,
                registered.createdAt().toEpochMilli(), promoted, launch.finishedAt(),
                promoted == NONE || first == null ? NONE : first.wallClockMs(),
                "v" + v + (promoted != NONE ? " promoted" : " rejected by the replacement rule"));
    }

    /** A phase of the path from decision to serving: its name and its start and end in a retrain's record. */
    private record Phase(String name, ToLongFunction<Retrain> from, ToLongFunction<Retrain> to) {
        StreamingStatistics seconds(List<Retrain> retrains) {
            StreamingStatistics st = new StreamingStatistics();
            for (Retrain r : retrains) {
                long a = from.applyAsLong(r);
                long b = to.applyAsLong(r);
                if (a != NONE && b != NONE) {
                    st.addValue((b - a) / 1000.0);
                }
            }
            return st;
        }
    }

    private static final Phase WAITING = new Phase("waiting for an earlier retraining (the launcher runs one job at "
            + "a time)", Retrain::launchStarted, Retrain::runStarted);
    private static final Phase RETRAINING = new Phase("retraining: job start → version registered (local cluster, "
            + "snapshot check, tuning, evaluation, model file)", Retrain::runStarted, Retrain::registered);
    private static final Phase TO_FORECAST = new Phase("launch finished → first forecast of the new version (model "
            + "update, broadcast, model load, next window)", r -> r.promoted() == NONE ? NONE : r.launchFinished(),
            Retrain::firstForecast);
    private static final Phase TOTAL = new Phase("**trigger decision → first forecast of the new version**",
            Retrain::decided, Retrain::firstForecast);
    private static final List<Phase> PHASES = List.of(
            new Phase("trigger decision → launch started", Retrain::decided, Retrain::launchStarted),
            WAITING,
            RETRAINING,
            new Phase("version registered → promoted", Retrain::registered, Retrain::promoted),
            new Phase("promoted → launch finished (batch job ends, outcome reaches the stream)", Retrain::promoted,
                    r -> r.promoted() == NONE ? NONE : r.launchFinished()),
            TO_FORECAST,
            TOTAL);

    private static Section section(ExperimentConfig config, List<Retrain> retrains) {
        Section section = new Section("Time from trigger to new champion serving");
        section.text(String.format(Locale.ROOT, """
                The closed loop as `./bin/imlma demo` runs it, on a local Flink cluster in this JVM (parallelism \
                %d): %s's lines (all channels) through the meter pipeline and `ModelLoop` — daily snapshot \
                partitions committed on checkpoints (every 1 s), `RetrainTrigger` with the system's defaults (θ = \
                0.10, minimum interval 1 h, Monday 02:00 UTC), its first volume-triggered training after %d weeks \
                of data, the local launcher running `RetrainJob` (the day-ahead %s trainer, %d Bayesian-optimization trials, \
                parallelism %d) \
                in a fresh local Flink environment per request, an H2 registry and file:// model store, and the \
                champion scorer, which swaps models through broadcast state. The first %d weeks and a day are fed \
                at once; from then on the replay runs at %.0f× real time (one 15-minute interval every %.0f ms) \
                until %d retrainings have registered a version (failed launches are listed, not counted). Every \
                request names all committed data since the first partition, so the training data grows from \
                request to request.

                Definitions — all times are processing (wall-clock) times on this machine: *trigger decision* = a \
                retrain request arrives at a sink behind the trigger; *launch started* = \
                `retrain_launches.started_at_ms` (the launcher took the request); *job start* = the later of that \
                and the previous launch's end, as the launcher runs one job at a time; *version registered* = \
                `model_versions.created_at_ms`; *promoted* = `promotions.promoted_at_ms`; *launch finished* = \
                `retrain_launches.finished_at_ms`; *first forecast* = the first prediction carrying the new \
                version arrives at a sink behind the scorer. The first table gives seconds after the trigger \
                decision; – = the step did not happen (a rejected candidate is registered, never served).
                """, PARALLELISM, config.input().getFileName(), config.latencyInitialWeeks(),
                config.latencyTrainer(), config.latencyTuningTrials(), PARALLELISM, config.latencyInitialWeeks(),
                config.latencySpeedUp(), INTERVAL_MS / config.latencySpeedUp(), config.latencyRetrainings()));
        MarkdownTable rows = new MarkdownTable("#", "reason", "training data (days, up to)", "launch started",
                "version registered", "promoted", "launch finished", "first forecast", "outcome");
        for (int i = 0; i < retrains.size(); i++) {
            Retrain r = retrains.get(i);
            rows.row(i + 1, r.request().reason(), String.format(Locale.ROOT, "%.0f (%s)",
                            (r.request().dataTo() - r.request().dataFrom()) / (double) LoadData.DAY_MS,
                            day(r.request().dataTo())), after(r, r.launchStarted()), after(r, r.registered()),
                    after(r, r.promoted()), after(r, r.launchFinished()), after(r, r.firstForecast()), r.outcome());
        }
        section.table(rows);
        MarkdownTable phases = new MarkdownTable("phase", "mean (s)", "max (s)", "requests");
        for (Phase phase : PHASES) {
            StreamingStatistics st = phase.seconds(retrains);
            phases.row(phase.name(), seconds(mean(st)), seconds(st.getN() == 0 ? Double.NaN : st.getMax()),
                    st.getN());
        }
        section.table(phases);
        StreamingStatistics total = TOTAL.seconds(retrains);
        section.table(new MarkdownTable("measure", "this system", "paper")
                .row("trigger decision → new champion serving (mean over promoted retrains)",
                        total.getN() == 0 ? "n/a" : Phrases.seconds(total.getMean()),
                        "not reported; its update delay (Table 1: 12.5 h weekly, 9.6 h dual) runs from the need "
                                + "for an update to the new model in service"));
        read(section, config, retrains);
        return section;
    }

    private static void read(Section section, ExperimentConfig config, List<Retrain> retrains) {
        List<Retrain> served = retrains.stream().filter(Retrain::served).toList();
        long rejected = retrains.stream().filter(r -> r.registered() != NONE && r.promoted() == NONE).count();
        long failed = retrains.stream().filter(r -> r.registered() == NONE).count();
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "Of %d requests, %d promoted a new "
                + "champion, %d ended with the candidate rejected by the replacement rule%s. ", retrains.size(),
                served.size(), rejected, failed == 0 ? "" : " and " + failed + " failed"));
        if (served.isEmpty()) {
            section.reading(text + "No new version served in this run, so there is no time to serving.");
            return;
        }
        StreamingStatistics total = TOTAL.seconds(served);
        double retraining = RETRAINING.seconds(served).getMean();
        StreamingStatistics swap = TO_FORECAST.seconds(served);
        StreamingStatistics waits = WAITING.seconds(retrains);
        long waited = retrains.stream().filter(r -> r.runStarted() > r.launchStarted()).count();
        double windowWaitMs = INTERVAL_MS / config.latencySpeedUp();
        text.append(String.format(Locale.ROOT, "For the promoted ones, the new version served its first forecast "
                        + "%s after the trigger's decision on average (max %s); the retraining job — a local Flink "
                        + "cluster, the snapshot check, %d tuning trials, the evaluation and the model file — is %s of "
                        + "that. From the end of the launch to the first forecast (model-update event, broadcast to "
                        + "the scorer, model file loaded and checked, next window closed) took %s on average. ",
                Phrases.seconds(total.getMean()), Phrases.seconds(total.getMax()), config.latencyTuningTrials(),
                MarkdownTable.percent(retraining / total.getMean()), Phrases.seconds(swap.getMean())));
        if (waited > 0) {
            text.append(String.format(Locale.ROOT, "%d of the requests waited for an earlier retraining, %s on "
                    + "average. ", waited, Phrases.seconds(waits.getSum() / waited)));
        }
        text.append(String.format(Locale.ROOT, "In real time the first forecast after a swap also waits for the "
                        + "next 15-minute window to close — up to 15 min, %.0f ms in this replay — which is %s the "
                        + "rest of the path. The paper reports no such time; its update delay (9.6–12.5 h) runs from "
                        + "when an update is warranted and is governed by when the trigger fires and whether the "
                        + "candidate is accepted (see the trigger experiment).", windowWaitMs,
                INTERVAL_MS / 1000.0 > total.getMax() ? "longer than" : "comparable to"));
        section.reading(text.toString());
        section.difference(String.format(Locale.ROOT, "**Trigger to serving** — %s on average (max %s) from the "
                        + "trigger's decision to the first forecast of a promoted version on this machine, %s of it "
                        + "the retraining job, plus up to 15 min in real time for the next window; the paper reports "
                        + "no such figure.", Phrases.seconds(total.getMean()), Phrases.seconds(total.getMax()),
                MarkdownTable.percent(retraining / total.getMean())));
    }

    /** The start of a failure message, enough for a table cell; the log has all of it. */
    private static String shortened(String message) {
        return message.length() <= MESSAGE_CHARS ? message : message.substring(0, MESSAGE_CHARS) + " …";
    }

    private static String after(Retrain r, long at) {
        return at == NONE ? "–" : seconds((at - r.decided()) / 1000.0);
    }

    /** Seconds to the millisecond, the clocks' resolution. */
    private static String seconds(double s) {
        return Double.isNaN(s) ? "n/a" : String.format(Locale.ROOT, "%.3f", s);
    }

    private static double mean(StreamingStatistics st) {
        return st.getN() == 0 ? Double.NaN : st.getMean();
    }

    private static String day(long epochMs) {
        return Instant.ofEpochMilli(epochMs).toString().substring(0, 10);
    }

    /** The header and the first {@code rows} lines of an ETT-format gzip CSV. */
    private static List<String> ettLines(Path file, int rows) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = EttFiles.reader(file)) {
            for (String line = in.readLine(); line != null && lines.size() <= rows; line = in.readLine()) {
                lines.add(line);
            }
        }
        return lines;
    }
}
