package io.imlma.jobs.bench;

import io.imlma.common.config.Settings;
import io.imlma.common.types.FeatureRow;
import io.imlma.jobs.pipeline.JobEnvironment;
import io.imlma.jobs.pipeline.MeterPipeline;
import io.imlma.jobs.pipeline.PipelineConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Benchmark (not a test): generated JSON readings of many meters at a 15-minute cadence, with exact re-sends mixed
 * in, through parse → dedup → window → impute → standardize on a local cluster with RocksDB state and exactly-once
 * checkpoints. Prints sustained readings/s, readings/s per core (= per parallel pipeline instance) and the latency
 * from a window's last reading entering the pipeline to its feature row, which includes waiting for the watermark.
 *
 * <p>Settings: {@code --meters} (10000), {@code --intervals} (60), {@code --duplicate-every} (50: every 50th record
 * is a re-send), {@code --parallelism} (1), plus those of {@link PipelineConfig} (checkpoints default to a temporary
 * directory every 10s) and Flink options as {@code --flink.<key> value}, e.g.
 * {@code --flink.state.backend.rocksdb.predefined-options FLASH_SSD_OPTIMIZED}.
 */
public final class PipelineBenchmark {
    private static final long INTERVAL_MS = 15 * 60_000;
    private static final long START = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    /** Latency histogram in milliseconds, last bucket for everything above; shared by the in-process subtasks. */
    private static final AtomicLongArray LATENCY_MS = new AtomicLongArray(600_001);

    private PipelineBenchmark() {}

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromArgs(args);
        int meters = settings.integer("meters", 10_000);
        int intervals = settings.integer("intervals", 60);
        int duplicateEvery = settings.integer("duplicate-every", 50);
        int parallelism = settings.integer("parallelism", 1);
        Settings.require(meters >= 1, "meters", "must be at least 1");
        Settings.require(intervals >= 2, "intervals", "must be at least 2");
        Settings.require(duplicateEvery >= 2, "duplicate-every", "must be at least 2");
        Settings.require(parallelism >= 1, "parallelism", "must be at least 1");
        Path checkpoints = Files.createTempDirectory("imlma-bench-checkpoints");
        PipelineConfig config = PipelineConfig.from(settings.withDefaults(Map.of(
                PipelineConfig.CHECKPOINT_DIR, checkpoints.toUri().toString(),
                PipelineConfig.CHECKPOINT_INTERVAL, "10s",
                PipelineConfig.OUT_OF_ORDERNESS, "1min")));

        long readings = (long) meters * intervals;
        long records = readings + readings / (duplicateEvery - 1);
        StreamExecutionEnvironment env = JobEnvironment.configure(
                StreamExecutionEnvironment.createLocalEnvironment(parallelism,
                        Configuration.fromMap(settings.withPrefix("flink."))), config);
        var source = new DataGeneratorSource<>(new MeterReadingGenerator(meters, duplicateEvery), records,
                RateLimiterStrategy.noOp(), Types.STRING);
        var json = env.fromSource(source, WatermarkStrategy.noWatermarks(), "generated-readings")
                .uid("generated-readings");
        MeterPipeline.fromJson(config, json, "bench").features()
                .map(new RecordLatency()).name("record-latency").uid("record-latency")
                .sinkTo(new DiscardingSink<>());

        System.out.printf("Benchmark: %,d meters × %,d intervals = %,d readings + %,d re-sends, parallelism %d, "
                + "RocksDB, exactly-once checkpoints every %s%n", meters, intervals, readings, records - readings,
                parallelism, config.checkpointInterval());
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        JobExecutionResult result = env.execute("imlma-pipeline-benchmark");
        double cpuSeconds = (os.getProcessCpuTime() - cpuBefore) / 1e9;
        double seconds = result.getNetRuntime() / 1000.0;
        double perSecond = records / seconds;
        System.out.printf("records in:        %,d in %.1f s wall (job runtime, including start-up)%n", records, seconds);
        System.out.printf("throughput:        %,.0f records/s wall, %,.0f records/s per core (parallelism %d)%n",
                perSecond, perSecond / parallelism, parallelism);
        // on a shared machine the wall-clock rate says more about the neighbours than about the pipeline
        System.out.printf("CPU cost:          %.1f CPU-seconds for the JVM (tasks, RocksDB, checkpoints, GC, JIT) "
                + "= %,.0f records per CPU-second%n", cpuSeconds, records / cpuSeconds);
        System.out.printf("latency (last reading of a window in → its feature row out, incl. watermark wait): "
                + "p50 %d ms, p99 %d ms, max %d ms over %,d rows%n",
                percentile(0.50), percentile(0.99), percentile(1.0), total());
        System.out.printf("available processors: %d (shared machine; figures are indicative)%n",
                Runtime.getRuntime().availableProcessors());
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

    /** Adds each observed row's ingest-to-output latency to the shared histogram. */
    static final class RecordLatency extends RichMapFunction<FeatureRow, FeatureRow> {
        @Override
        public FeatureRow map(FeatureRow row) {
            if (!row.imputed()) {
                long ms = System.currentTimeMillis() - row.maxIngestTime();
                LATENCY_MS.incrementAndGet((int) Math.max(0, Math.min(ms, LATENCY_MS.length() - 1)));
            }
            return row;
        }
    }

    private static long total() {
        long n = 0;
        for (int i = 0; i < LATENCY_MS.length(); i++) {
            n += LATENCY_MS.get(i);
        }
        return n;
    }

    private static long percentile(double q) {
        long rank = Math.max(1, (long) Math.ceil(q * total()));
        long seen = 0;
        for (int i = 0; i < LATENCY_MS.length(); i++) {
            seen += LATENCY_MS.get(i);
            if (seen >= rank) {
                return i;
            }
        }
        return -1;
    }
}
