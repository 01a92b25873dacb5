package io.imlma.jobs.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.imlma.common.config.Settings;
import io.imlma.common.integrity.FileDigest;
import io.imlma.common.integrity.IntegrityEvent.Outcome;
import io.imlma.common.integrity.IntegrityEvent.Problem;
import io.imlma.common.integrity.IntegrityException;
import io.imlma.common.integrity.IntegrityVerifier;
import io.imlma.common.integrity.PartitionCommitted;
import io.imlma.common.integrity.PartitionGranularity;
import io.imlma.common.integrity.SnapshotLocation;
import io.imlma.common.integrity.SnapshotManifest;
import io.imlma.common.integrity.TimeRange;
import io.imlma.common.json.Json;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.RetrainReason;
import io.imlma.common.types.RetrainRequest;
import io.imlma.common.types.Severity;
import io.imlma.udf.trigger.TriggerConfig;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.SinkFunction;
import org.apache.flink.streaming.api.functions.source.SourceFunction;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The snapshot stage against a real HDFS (MiniDFSCluster) on a Flink MiniCluster with checkpoints: manifests
 * appear with correct checksums and row counts; flipped bytes, a truncated and a deleted file are each detected,
 * restored from the backup and alarmed; a corrupted backup makes the range refused.
 */
class SnapshotStageHdfsIT {
    private static final long QUARTER = Duration.ofMinutes(15).toMillis();
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final long JAN2 = Instant.parse("2024-01-02T00:00:00Z").toEpochMilli();
    private static final int DAYS = 3;
    private static final int METERS = 2;
    private static final Queue<PartitionCommitted> COMMITTED = new ConcurrentLinkedQueue<>();
    private static final Queue<RetrainRequest> REQUESTS = new ConcurrentLinkedQueue<>();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static MiniDFSCluster hdfs;
    private static String hdfsUri;

    @BeforeAll
    static void startHdfs() throws Exception {
        File base = new File("target/minidfs-" + System.nanoTime()).getAbsoluteFile();
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getPath());
        hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        hdfs.waitClusterUp();
        // a full hdfs://host:port URI: Flink's Hadoop file system factory resolves it without a site file
        hdfsUri = "hdfs://localhost:" + hdfs.getNameNodePort();
    }

    @AfterAll
    static void stopHdfs() {
        if (hdfs != null) {
            hdfs.shutdown();
        }
    }

    @Test
    void snapshotsOnHdfsAreSealedVerifiedAndRestored() throws Exception {
        SnapshotStage.Config config = SnapshotStage.Config.from(new Settings(Map.of(
                SnapshotLocation.PATH.key(), hdfsUri + "/imlma/snapshots/features",
                SnapshotLocation.BACKUP_PATH.key(), hdfsUri + "/imlma-backup/snapshots/features",
                TriggerConfig.MIN_INITIAL_ROWS.key(), "100",
                TriggerConfig.MIN_INTERVAL.key(), "0s")));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(300);
        var rows = env.addSource(new RowsThenIdle()).name("feature rows").uid("feature-rows").setParallelism(1);
        SnapshotStage.Outputs outputs = SnapshotStage.attach(rows, null, config);
        outputs.committedPartitions().addSink(new Collect<>("committed")).name("collect committed");
        outputs.retrainRequests().addSink(new Collect<>("requests")).name("collect requests");

        JobClient job = env.executeAsync("snapshot stage on HDFS");
        try {
            await("every day committed and a retrain requested").atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                        assertThat(COMMITTED).as("committed partitions").hasSizeGreaterThanOrEqualTo(DAYS);
                        assertThat(REQUESTS).as("retrain requests").isNotEmpty();
                    });
        } finally {
            job.cancel().get();
        }

        List<PartitionCommitted> committed = new ArrayList<>(COMMITTED);
        assertThat(committed).extracting(PartitionCommitted::partitionId)
                .containsExactly("dt=2024-01-02", "dt=2024-01-03", "dt=2024-01-04");
        assertThat(committed).allSatisfy(p -> assertThat(p.rows()).isEqualTo(96L * METERS));
        assertThat(REQUESTS.peek()).satisfies(r -> {
            assertThat(r.reason()).isEqualTo(RetrainReason.VOLUME);
            assertThat(r.dataFrom()).isEqualTo(JAN2);
            assertThat(r.deltaD()).isEqualTo(96L * METERS);
        });

        FileSystem fs = hdfs.getFileSystem();
        for (PartitionCommitted p : committed) {
            SnapshotManifest manifest;
            try (InputStream in = fs.open(new Path("/imlma/snapshots/features/" + p.partitionId()
                    + "/_MANIFEST.json"))) {
                manifest = Json.MAPPER.readValue(in, SnapshotManifest.class);
            }
            assertThat(manifest.rows()).isEqualTo(p.rows());
            assertThat(manifest.files()).isNotEmpty();
            for (SnapshotManifest.ManifestFile f : manifest.files()) {
                Path file = new Path("/imlma/snapshots/features/" + p.partitionId() + "/" + f.path());
                try (InputStream in = fs.open(file)) {
                    FileDigest digest = FileDigest.of(in);
                    assertThat(digest.sha256()).isEqualTo(f.sha256());
                    assertThat(digest.lines()).isEqualTo(f.rows());
                    assertThat(digest.bytes()).isEqualTo(f.bytes());
                }
                assertThat(fs.exists(new Path("/imlma-backup/snapshots/features/" + p.partitionId() + "/"
                        + f.path()))).isTrue();
            }
        }

        IntegrityVerifier verifier = new IntegrityVerifier(config.store(), Clock.systemUTC());
        TimeRange range = new TimeRange(JAN2, JAN2 + DAYS * DAY);
        assertThat(verifier.verifySnapshot(range, PartitionGranularity.DAILY).events()).isEmpty();

        Path victim = firstDataFile(fs, "/imlma/snapshots/features/dt=2024-01-03");
        byte[] original = read(fs, victim);

        byte[] flipped = original.clone();
        flipped[flipped.length / 2] ^= (byte) 0xFF;
        write(fs, victim, flipped);
        assertRestored(verifier, range, Problem.WRONG_SHA256, fs, victim, original);

        write(fs, victim, java.util.Arrays.copyOf(original, original.length / 2));
        assertRestored(verifier, range, Problem.WRONG_SIZE, fs, victim, original);

        fs.delete(victim, false);
        assertRestored(verifier, range, Problem.MISSING, fs, victim, original);

        write(fs, victim, flipped);
        write(fs, new Path(victim.toUri().getPath().replace("/imlma/", "/imlma-backup/")), flipped);
        assertThatThrownBy(() -> verifier.verifySnapshot(range, PartitionGranularity.DAILY))
                .isInstanceOf(IntegrityException.class)
                .hasMessageContaining("REFUSED")
                .hasMessageContaining(victim.getName())
                .satisfies(e -> assertThat(((IntegrityException) e).report().alarms())
                        .anySatisfy(a -> assertThat(a.severity()).isEqualTo(Severity.CRITICAL)));
    }

    private static void assertRestored(IntegrityVerifier verifier, TimeRange range, Problem problem, FileSystem fs,
            Path victim, byte[] original) throws Exception {
        var report = verifier.verifySnapshot(range, PartitionGranularity.DAILY);
        assertThat(report.events()).singleElement().satisfies(e -> {
            assertThat(e.problem()).isEqualTo(problem);
            assertThat(e.outcome()).isEqualTo(Outcome.RESTORED);
            assertThat(e.path()).endsWith(victim.getName());
        });
        assertThat(report.alarms()).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AlarmType.INTEGRITY);
            assertThat(a.severity()).isEqualTo(Severity.WARNING);
        });
        assertThat(read(fs, victim)).isEqualTo(original);
    }

    private static Path firstDataFile(FileSystem fs, String partition) throws Exception {
        for (var status : fs.listStatus(new Path(partition))) {
            String name = status.getPath().getName();
            if (!name.startsWith(".") && !name.startsWith("_") && status.getLen() > 0) {
                return new Path(status.getPath().toUri().getPath());
            }
        }
        throw new AssertionError("no data file in " + partition);
    }

    private static byte[] read(FileSystem fs, Path path) throws Exception {
        try (InputStream in = fs.open(path)) {
            return in.readAllBytes();
        }
    }

    private static void write(FileSystem fs, Path path, byte[] content) throws Exception {
        try (OutputStream out = fs.create(path, true)) {
            out.write(content);
        }
    }

    /** Emits {@link #DAYS} days of 15-minute rows for {@link #METERS} meters, then stays up so checkpoints go on. */
    private static final class RowsThenIdle implements SourceFunction<FeatureRow> {
        private volatile boolean running = true;

        @Override
        public void run(SourceContext<FeatureRow> ctx) throws Exception {
            for (long t = JAN2; t < JAN2 + DAYS * DAY; t += QUARTER) {
                synchronized (ctx.getCheckpointLock()) {
                    for (int m = 0; m < METERS; m++) {
                        ctx.collectWithTimestamp(new FeatureRow("meter-" + m, t, t + QUARTER, m + 1.0, m, m + 2.0,
                                3, 0.1, false, false, 0L), t + QUARTER - 1);
                    }
                }
            }
            ctx.emitWatermark(new Watermark(JAN2 + DAYS * DAY));
            while (running) {
                synchronized (ctx.getCheckpointLock()) {
                    ctx.getCheckpointLock().wait(50);
                }
            }
        }

        @Override
        public void cancel() {
            running = false;
        }
    }

    /** Hands results to the test through static queues (the sink itself is serialized into the job). */
    private static final class Collect<T> implements SinkFunction<T> {
        private final String queue;

        Collect(String queue) {
            this.queue = queue;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void invoke(T value, Context context) {
            ((Queue<T>) (queue.equals("committed") ? COMMITTED : REQUESTS)).add(value);
        }
    }
}
