package io.imlma.bench.pipeline;

import io.imlma.bench.cli.Arguments;
import io.imlma.common.config.Settings;
import io.imlma.common.types.FeatureRow;
import io.imlma.jobs.JobSettings;
import io.imlma.jobs.pipeline.JobEnvironment;
import io.imlma.jobs.pipeline.MeterPipeline;
import io.imlma.jobs.pipeline.PipelineConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.util.FileUtils;

/**
 * Benchmark (not a test): generated JSON readings of many meters at a 15-minute cadence, with exact re-sends mixed
 * in, through parse → dedup → window → impute → standardize on a local cluster with RocksDB state and exactly-once
 * checkpoints. Measures sustained readings/s, readings/s per core (= per parallel pipeline instance) and the latency
 * from a window's last reading entering the pipeline to its feature row, which includes waiting for the watermark.
 * Then the same readings go through the same pipeline written in Flink SQL ({@link SqlPipeline}), on the same
 * source, state backend and checkpoints, and the last line printed is ours ÷ SQL in records per CPU-second.
 * Besides its {@link Options}, it takes the settings of {@link PipelineConfig} (checkpoints default to a temporary
 * directory every 10s) and Flink options as {@code --flink.<key> value}, e.g.
 * {@code --flink.state.backend.rocksdb.predefined-options FLASH_SSD_OPTIMIZED}.
 */
public final class PipelineBenchmark {
    public static final String COMMAND = "bench-pipeline";
    private static final long INTERVAL_MS = 15 * 60_000;
    private static final long START = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    /** Milliseconds the latency histogram resolves; its last bucket takes everything above. */
    private static final int LATENCY_BUCKETS = 600_001;
    /** Latency histogram per run, in milliseconds; shared by that run's subtasks, which all live in this JVM. */
    private static final ConcurrentMap<String, AtomicLongArray> LATENCY_MS = new ConcurrentHashMap<>();
    /** Accumulator of the feature rows a run put out. */
    private static final String ROWS = "feature-rows";

    /**
     * @param duplicateEvery every n-th record is an exact re-send of the one before
     * @param rate           records/s the source emits at, open loop; 0 = as fast as the pipeline takes them
     * @param pacedLatency   whether {@link #compare} also runs ours at half its saturated rate, for the latency
     * @param sqlPeer        whether {@link #compare} runs the Flink SQL peer (e.g. off to compare parallelisms)
     * @param settings       everything given, for {@link PipelineConfig} and {@code flink.*}
     */
    public record Options(int meters, int intervals, int duplicateEvery, int parallelism, double rate,
                          boolean pacedLatency, boolean sqlPeer, Settings settings) {
        private static final int METERS = 10_000;
        private static final int INTERVALS = 60;
        private static final int DUPLICATE_EVERY = 50;
        private static final int PARALLELISM = 1;

        public Options {
            Settings.require(meters >= 1, "meters", "must be at least 1");
            Settings.require(intervals >= 2, "intervals", "must be at least 2");
            Settings.require(duplicateEvery >= 2, "duplicate-every", "must be at least 2");
            Settings.require(parallelism >= 1, "parallelism", "must be at least 1");
            Settings.require(rate >= 0, "rate", "must not be negative");
        }

        /** These options at another parallelism. */
        public Options withParallelism(int instances) {
            return new Options(meters, intervals, duplicateEvery, instances, rate, pacedLatency, sqlPeer, settings);
        }

        /** These options with the run at half the saturated rate beside ours and no SQL peer. */
        public Options withPacedLatencyOnly() {
            return new Options(meters, intervals, duplicateEvery, parallelism, rate, true, false, settings);
        }

        public Options withRate(double recordsPerSecond) {
            return new Options(meters, intervals, duplicateEvery, parallelism, recordsPerSecond, false, false,
                    settings);
        }

        public static Options from(Arguments a) {
            Options size = sizeFrom(a);
            return new Options(size.meters(), size.intervals(), size.duplicateEvery(), size.parallelism(),
                    a.decimal("rate", 0, "records/s of the source, open loop; 0 = saturate"),
                    Boolean.parseBoolean(a.string("paced-latency", "true", "also run ours at half its saturated "
                            + "rate and report that run's latency")),
                    Boolean.parseBoolean(a.string("sql-peer", "true", "also run the same pipeline in Flink SQL and "
                            + "print the ratio")),
                    size.settings());
        }

        /** The generated load and the pipeline's settings; saturating, without the paced run or the SQL peer. */
        public static Options sizeFrom(Arguments a) {
            a.note("plus the pipeline's settings (PipelineConfig), here with checkpoint.dir a temporary directory, "
                    + "checkpoint.interval 10s and watermark.out-of-orderness 1min, and Flink options as "
                    + "--flink.<key> value", JobSettings.pipeline().prefix("flink.", "Flink configuration options."));
            return new Options(a.integer("meters", METERS, "meters generated"),
                    a.integer("intervals", INTERVALS, "15-minute readings per meter"),
                    a.integer("duplicate-every", DUPLICATE_EVERY, "every n-th record is a re-send"),
                    a.integer("parallelism", PARALLELISM, "parallel pipeline instances"), 0, false, false,
                    a.settings());
        }

        /** The defaults but for the size. */
        public static Options of(int meters, int intervals) {
            return new Options(meters, intervals, DUPLICATE_EVERY, PARALLELISM, 0, false, true,
                    new Settings(Map.of()));
        }
    }

    /**
     * What one run measured.
     *
     * @param seconds     the job's net runtime, start-up included
     * @param cpuSeconds  CPU time of the whole JVM while the job ran (tasks, RocksDB, checkpoints, GC, JIT)
     * @param rate        records/s the source was paced at, 0 for none
     * @param rows        feature rows out, imputed ones included
     * @param latencyRows feature rows of real (not imputed) readings, over which the latency percentiles are taken
     */
    public record Figures(int meters, int intervals, long readings, long resends, int parallelism,
                          Duration checkpointInterval, double rate, double seconds, double cpuSeconds, long rows,
                          long latencyP50Ms, long latencyP99Ms, long latencyMaxMs, long latencyRows,
                          CheckpointWatch.Stats checkpoints) {
        public long records() {
            return readings + resends;
        }

        public double recordsPerSecond() {
            return records() / seconds;
        }

        public double recordsPerSecondPerCore() {
            return recordsPerSecond() / parallelism;
        }

        public double recordsPerCpuSecond() {
            return records() / cpuSeconds;
        }

        public void printTo(PrintStream out) {
            out.printf("Benchmark: %,d meters × %,d intervals = %,d readings + %,d re-sends, parallelism %d, "
                    + "RocksDB, exactly-once checkpoints every %s, %s%n", meters, intervals, readings, resends,
                    parallelism, checkpointInterval, rate > 0 ? String.format("source paced at %,.0f records/s "
                    + "(open loop)", rate) : "source unpaced (saturation)");
            out.printf("records in:        %,d in %.1f s wall (job runtime, including start-up)%n", records(),
                    seconds);
            out.printf("throughput:        %,.0f records/s wall, %,.0f records/s per core (parallelism %d)%n",
                    recordsPerSecond(), recordsPerSecondPerCore(), parallelism);
            // on a shared machine the wall-clock rate says more about the neighbours than about the pipeline
            out.printf("CPU cost:          %.1f CPU-seconds for the JVM (tasks, RocksDB, checkpoints, GC, JIT) "
                    + "= %,.0f records per CPU-second%n", cpuSeconds, recordsPerCpuSecond());
            out.printf("feature rows:      %,d (%,d observed, %,d imputed)%n", rows, latencyRows,
                    rows - latencyRows);
            out.printf("latency (last reading of a window in → its feature row out, incl. watermark wait): "
                    + "p50 %d ms, p99 %d ms, max %d ms over %,d rows%n", latencyP50Ms, latencyP99Ms, latencyMaxMs,
                    latencyRows);
            printCheckpoints(out, checkpoints, meters);
            out.printf("available processors: %d (shared machine; figures are indicative)%n",
                    Runtime.getRuntime().availableProcessors());
        }
    }

    /**
     * What the Flink SQL peer ({@link SqlPipeline}) measured on the same readings.
     *
     * @param rows feature rows out: observed intervals only, SQL cannot impute the empty ones
     */
    public record SqlFigures(long records, double seconds, double cpuSeconds, long rows, int meters,
                             CheckpointWatch.Stats checkpoints) {
        public double recordsPerSecond() {
            return records / seconds;
        }

        public double recordsPerCpuSecond() {
            return records / cpuSeconds;
        }

        public void printTo(PrintStream out) {
            out.printf("Flink SQL peer (JSON_VALUE, ROW_NUMBER dedup, TUMBLE, OVER z-score; same source, state "
                    + "backend and checkpoints):%n");
            out.printf("throughput:        %,.0f records/s wall (%,d records in %.1f s)%n", recordsPerSecond(),
                    records, seconds);
            out.printf("CPU cost:          %.1f CPU-seconds for the JVM = %,.0f records per CPU-second%n",
                    cpuSeconds, recordsPerCpuSecond());
            out.printf("feature rows:      %,d (observed intervals only: SQL makes no row for an empty one)%n", rows);
            printCheckpoints(out, checkpoints, meters);
        }
    }

    /**
     * Ours, and beside it on the same generated readings, one after the other in one JVM, ours at half its saturated
     * rate and the Flink SQL peer, when run.
     *
     * @param paced ours at half its saturated rate, for the latency; {@code null} when not run
     * @param sql   the Flink SQL peer; {@code null} when not run
     */
    public record Comparison(Figures ours, Figures paced, SqlFigures sql) {
        /** Ours ÷ SQL, records per CPU-second. */
        public double ratio() {
            return ours.recordsPerCpuSecond() / sql.recordsPerCpuSecond();
        }

        public void printTo(PrintStream out) {
            ours.printTo(out);
            if (paced != null) {
                out.printf("At half the saturated rate (%,.0f records/s, open loop): latency p50 %d ms, p99 %d ms, "
                        + "max %d ms over %,d rows; %,.0f records per CPU-second%n", paced.rate(),
                        paced.latencyP50Ms(), paced.latencyP99Ms(), paced.latencyMaxMs(), paced.latencyRows(),
                        paced.recordsPerCpuSecond());
            }
            if (sql != null) {
                sql.printTo(out);
                out.printf(Locale.ROOT, "ratio to the Flink SQL pipeline: %.2f×%n", ratio());
            }
        }
    }

    private PipelineBenchmark() {}

    public static void main(String[] args) throws Exception {
        Arguments.run(args, COMMAND, "Throughput and latency of parse → dedup → window → impute → standardize on "
                + "generated meters, on a local Flink cluster with RocksDB and exactly-once checkpoints, then the "
                + "same readings through the same pipeline in Flink SQL.",
                Options::from, options -> compare(options).printTo(System.out));
    }

    /**
     * Ours first (then, if asked, ours again at half that run's rate), then SQL: a later run profits from the JIT's
     * warm-up of Flink's runtime, in SQL's favour.
     */
    public static Comparison compare(Options options) throws Exception {
        Figures ours = run(options);
        Figures paced = options.pacedLatency() ? run(options.withRate(ours.recordsPerSecond() / 2)) : null;
        return new Comparison(ours, paced, options.sqlPeer() ? runSql(options) : null);
    }

    public static Figures run(Options options) throws Exception {
        try (Run bench = new Run(options)) {
            String run = UUID.randomUUID().toString();
            AtomicLongArray latencies = new AtomicLongArray(LATENCY_BUCKETS);
            LATENCY_MS.put(run, latencies);
            try {
                MeterPipeline.fromJson(bench.config, bench.json, "bench").features()
                        .map(new RecordLatency(run)).name("record-latency").uid("record-latency")
                        .sinkTo(new DiscardingSink<>());
                JobExecutionResult result = bench.execute("imlma-pipeline-benchmark");
                return new Figures(options.meters(), options.intervals(), bench.readings,
                        bench.records - bench.readings, options.parallelism(), bench.config.checkpointInterval(),
                        options.rate(), result.getNetRuntime() / 1000.0, bench.cpuSeconds,
                        result.getAccumulatorResult(ROWS), percentile(latencies, 0.50), percentile(latencies, 0.99),
                        percentile(latencies, 1.0), total(latencies), bench.watch.stats());
            } finally {
                LATENCY_MS.remove(run);
            }
        }
    }

    /** The same readings through {@link SqlPipeline}, with the same source, state backend and checkpoints. */
    public static SqlFigures runSql(Options options) throws Exception {
        try (Run bench = new Run(options)) {
            StreamTableEnvironment tables = StreamTableEnvironment.create(bench.env);
            tables.toDataStream(SqlPipeline.features(tables, bench.json, bench.config))
                    .map(new CountRows<>()).name("count-rows").uid("count-rows")
                    .sinkTo(new DiscardingSink<>()).name("discard").uid("discard");
            JobExecutionResult result = bench.execute("imlma-sql-pipeline-benchmark");
            return new SqlFigures(bench.records, result.getNetRuntime() / 1000.0, bench.cpuSeconds,
                    result.getAccumulatorResult(ROWS), options.meters(), bench.watch.stats());
        }
    }

    /** One run's environment, configured as the job's, its generated readings and its checkpoint directory. */
    private static final class Run implements AutoCloseable {
        final Path checkpoints;
        final PipelineConfig config;
        final long readings;
        final long records;
        final StreamExecutionEnvironment env;
        final DataStream<String> json;
        final CheckpointWatch watch;
        double cpuSeconds;

        Run(Options options) throws Exception {
            checkpoints = Files.createTempDirectory("imlma-bench-checkpoints");
            config = PipelineConfig.from(options.settings().withDefaults(Map.of(
                    PipelineConfig.CHECKPOINT_DIR.key(), checkpoints.toUri().toString(),
                    PipelineConfig.CHECKPOINT_INTERVAL.key(), "10s",
                    PipelineConfig.OUT_OF_ORDERNESS.key(), "1min")));
            readings = (long) options.meters() * options.intervals();
            records = readings + readings / (options.duplicateEvery() - 1);
            watch = CheckpointWatch.start();
            Configuration flink = Configuration.fromMap(options.settings().withPrefix("flink."));
            if (!flink.contains(RestOptions.BIND_PORT)) {
                flink.set(RestOptions.BIND_PORT, Integer.toString(watch.port()));
            }
            env = JobEnvironment.configure(StreamExecutionEnvironment.createLocalEnvironment(options.parallelism(),
                    flink), config);
            var source = new DataGeneratorSource<>(
                    new MeterReadingGenerator(options.meters(), options.duplicateEvery()), records,
                    options.rate() > 0 ? RateLimiterStrategy.perSecond(options.rate()) : RateLimiterStrategy.noOp(),
                    Types.STRING);
            json = env.fromSource(source, WatermarkStrategy.noWatermarks(), "generated-readings")
                    .uid("generated-readings");
        }

        /** Runs the job, taking the CPU time of the whole JVM while it ran. */
        JobExecutionResult execute(String name) throws Exception {
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpuBefore = os.getProcessCpuTime();
            JobExecutionResult result = env.execute(name);
            cpuSeconds = (os.getProcessCpuTime() - cpuBefore) / 1e9;
            return result;
        }

        @Override
        public void close() throws IOException {
            watch.close();
            // Flink may still be discarding checkpoint files in there: its own delete tolerates that
            FileUtils.deleteDirectory(checkpoints.toFile());
        }
    }

    /** Counts the rows passing, into the job's {@link #ROWS} accumulator. */
    static final class CountRows<T> extends RichMapFunction<T, T> {
        private final LongCounter rows = new LongCounter();

        @Override
        public void open(OpenContext context) {
            getRuntimeContext().addAccumulator(ROWS, rows);
        }

        @Override
        public T map(T row) {
            rows.add(1);
            return row;
        }
    }

    /** Record {@code i} → JSON reading; every {@code duplicateEvery}-th record repeats the one before it. */
    static final class MeterReadingGenerator implements GeneratorFunction<Long, String> {
        private final int meters;
        private final int duplicateEvery;

        MeterReadingGenerator(int meters, int duplicateEvery) {
            this.meters = meters;
            this.duplicateEvery = duplicateEvery;
        }

        @Override
        public String map(Long index) {
            long reading = index - (index + 1) / duplicateEvery;
            long meter = reading % meters;
            long interval = reading / meters;
            // meters report spread over the interval, as real ones do
            long timestamp = START + interval * INTERVAL_MS + meter * (INTERVAL_MS / meters);
            double value = 100 + 20 * Math.sin(interval / 16.0 + meter) + (meter % 7);
            return "{\"meterId\":\"meter-" + meter + "\",\"timestamp\":" + timestamp + ",\"value\":" + value + "}";
        }
    }

    /** Adds each observed row's ingest-to-output latency to its run's histogram; counts all rows in {@link #ROWS}. */
    static final class RecordLatency extends RichMapFunction<FeatureRow, FeatureRow> {
        private final String run;
        private final LongCounter rows = new LongCounter();
        private transient AtomicLongArray latencies;

        RecordLatency(String run) {
            this.run = run;
        }

        @Override
        public void open(OpenContext context) {
            latencies = LATENCY_MS.get(run);
            getRuntimeContext().addAccumulator(ROWS, rows);
        }

        @Override
        public FeatureRow map(FeatureRow row) {
            rows.add(1);
            if (!row.imputed()) {
                long ms = System.currentTimeMillis() - row.maxIngestTime();
                latencies.incrementAndGet((int) Math.max(0, Math.min(ms, latencies.length() - 1)));
            }
            return row;
        }
    }

    private static void printCheckpoints(PrintStream out, CheckpointWatch.Stats checkpoints, int meters) {
        if (checkpoints.completed() == 0) {
            out.printf("checkpoints:       none completed during the run (too short for the interval)%n");
            return;
        }
        out.printf("checkpoints:       %d completed; latest %,d bytes of state = %,.0f bytes per meter; duration "
                + "mean %d ms, max %d ms%n", checkpoints.completed(), checkpoints.stateBytes(),
                (double) checkpoints.stateBytes() / meters, checkpoints.avgDurationMs(), checkpoints.maxDurationMs());
    }

    private static long total(AtomicLongArray histogram) {
        long n = 0;
        for (int i = 0; i < histogram.length(); i++) {
            n += histogram.get(i);
        }
        return n;
    }

    private static long percentile(AtomicLongArray histogram, double q) {
        long rank = Math.max(1, (long) Math.ceil(q * total(histogram)));
        long seen = 0;
        for (int i = 0; i < histogram.length(); i++) {
            seen += histogram.get(i);
            if (seen >= rank) {
                return i;
            }
        }
        return -1;
    }
}
