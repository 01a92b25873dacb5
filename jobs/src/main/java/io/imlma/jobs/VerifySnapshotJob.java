package io.imlma.jobs;

import io.imlma.common.config.Settings;
import io.imlma.common.integrity.IntegrityVerifier;
import io.imlma.common.integrity.SnapshotManifest;
import io.imlma.common.integrity.TimeRange;
import io.imlma.common.integrity.VerificationReport;
import io.imlma.common.json.Json;
import io.imlma.common.types.FeatureRow;
import io.imlma.jobs.launch.BatchJobEntry;
import io.imlma.jobs.launch.BatchJobResult;
import io.imlma.jobs.launch.RetrainJobSpec;
import io.imlma.jobs.snapshot.SnapshotStage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Placeholder for the retraining job until {@code RetrainJob} replaces it in the launcher's spec: verifies the
 * requested snapshot range against its manifests (restoring from backup, refusing with an
 * {@link io.imlma.common.integrity.IntegrityException} when it cannot), then reads exactly the files the manifests
 * list in a Flink BATCH job, parses every row and checks the total against the manifests. Reports the row count as
 * the accumulator {@value #ROWS}.
 */
public final class VerifySnapshotJob implements BatchJobEntry {
    public static final String ROWS = "rows";
    private static final Logger LOG = LoggerFactory.getLogger(VerifySnapshotJob.class);

    public static void main(String[] args) throws Exception {
        Settings settings = JobSettings.verifySnapshotJob().start(args).orElse(null);
        if (settings != null) { // else --help
            new VerifySnapshotJob().run(StreamExecutionEnvironment.getExecutionEnvironment(), settings);
        }
    }

    @Override
    public BatchJobResult run(StreamExecutionEnvironment env, Settings settings) throws Exception {
        String requestId = RetrainJobSpec.REQUEST_ID.value(settings);
        TimeRange range = new TimeRange(RetrainJobSpec.epochMillis(RetrainJobSpec.DATA_FROM.value(settings)),
                RetrainJobSpec.epochMillis(RetrainJobSpec.DATA_TO.value(settings)));
        SnapshotStage.Config snapshot = SnapshotStage.Config.from(settings);
        VerificationReport report = new IntegrityVerifier(snapshot.store(), Clock.systemUTC())
                .verifySnapshot(range, snapshot.granularity());
        LOG.info("Request {}: snapshot range verified, {} partitions, {} rows, {} repaired", requestId,
                report.manifests().size(), report.rows(), report.events().size());
        build(env, files(snapshot, report), report.rows());
        return BatchJobResult.of(env.execute("verify snapshot " + requestId));
    }

    /** Reads {@code files} (JSON-lines feature rows) in BATCH mode and fails unless they hold {@code expectedRows}. */
    public static void build(StreamExecutionEnvironment env, List<Path> files, long expectedRows) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("snapshot range holds no files: nothing to train on");
        }
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        DataStream<String> lines = env.fromSource(
                        FileSource.forRecordStreamFormat(new TextLineInputFormat(), files.toArray(Path[]::new)).build(),
                        WatermarkStrategy.noWatermarks(), "snapshot files")
                .uid("snapshot-files");
        lines.map(line -> Json.read(line, FeatureRow.class)).name("parse feature rows").uid("parse-feature-rows")
                .map(row -> 1L).name("one per row").uid("one-per-row")
                .keyBy(one -> 0)
                .reduce(Long::sum).name("count rows").uid("count-rows")
                .map(new ExpectRows(expectedRows)).name("check row count").uid("check-row-count")
                .setParallelism(1)
                .sinkTo(new DiscardingSink<>()).name("discard").uid("discard");
    }

    private static List<Path> files(SnapshotStage.Config snapshot, VerificationReport report) {
        List<Path> files = new ArrayList<>();
        for (SnapshotManifest manifest : report.manifests()) {
            for (SnapshotManifest.ManifestFile file : manifest.files()) {
                files.add(snapshot.store().primary(manifest.partitionId() + "/" + file.path()));
            }
        }
        return files;
    }

    /** Fails the job when the rows read differ from the manifests' count; records the count as an accumulator. */
    static final class ExpectRows extends RichMapFunction<Long, Long> {
        private static final long serialVersionUID = 1L;
        private final long expected;
        private transient LongCounter rows;

        ExpectRows(long expected) {
            this.expected = expected;
        }

        @Override
        public void open(OpenContext openContext) {
            rows = getRuntimeContext().getLongCounter(ROWS);
        }

        @Override
        public Long map(Long total) {
            if (total != expected) {
                throw new IllegalStateException("read " + total + " rows, manifests list " + expected);
            }
            rows.add(total);
            return total;
        }
    }
}
