package io.imlma.udf.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.imlma.common.integrity.FileDigest;
import io.imlma.common.integrity.IntegrityStore;
import io.imlma.common.integrity.PartitionCommitted;
import io.imlma.common.integrity.PartitionGranularity;
import io.imlma.common.integrity.SnapshotManifest;
import io.imlma.common.json.Json;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.Severity;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotManifestWriterTest {
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final long QUARTER = Duration.ofMinutes(15).toMillis();
    private static final long JAN2 = Instant.parse("2024-01-02T00:00:00Z").toEpochMilli();

    private static final Duration SEAL_DEADLINE = Duration.ofMinutes(10);

    @TempDir
    Path dir;

    /** The wall clock the writer sees, moved by the test. */
    private final MutableClock clock = new MutableClock();

    static final class MutableClock extends Clock {
        long millis = Instant.parse("2024-03-01T12:00:00Z").toEpochMilli();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    private static List<Alarm> alarms(OneInputStreamOperatorTestHarness<FeatureRow, PartitionCommitted> h) {
        var out = h.getSideOutput(SnapshotManifestWriter.ALARMS);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void aCompletePartitionUnsealedPastItsDeadlineRaisesLoopStallWithTheRowCountsUntilItIsSealed() throws Exception {
        var h = harness(null);
        FeatureRow a = row(JAN2), b = row(JAN2 + QUARTER), c = row(JAN2 + 2 * QUARTER);
        feed(h, a, b, c);
        sinkFile("dt=2024-01-02", "part-0-0", a, b); // the third row's file never gets committed
        h.processWatermark(new Watermark(JAN2 + DAY));
        h.notifyOfCompletedCheckpoint(1);
        clock.millis += SEAL_DEADLINE.toMillis();
        h.notifyOfCompletedCheckpoint(2);
        assertThat(alarms(h)).as("at the deadline, not yet past it").isEmpty();

        clock.millis += 1;
        h.notifyOfCompletedCheckpoint(3);
        h.notifyOfCompletedCheckpoint(4);
        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(alarms(h)).as("raised once").singleElement().satisfies(alarm -> {
            assertThat(alarm.type()).isEqualTo(AlarmType.LOOP_STALL);
            assertThat(alarm.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(alarm.value()).isEqualTo(2);
            assertThat(alarm.threshold()).isEqualTo(3);
            assertThat(alarm.message()).contains("dt=2024-01-02").contains("2 rows in committed files, 3 expected");
        });

        sinkFile("dt=2024-01-02", "part-0-1", c);
        h.notifyOfCompletedCheckpoint(5);
        assertThat(h.extractOutputValues()).extracting(PartitionCommitted::rows).containsExactly(3L);
        assertThat(alarms(h)).hasSize(2).last().satisfies(alarm -> {
            assertThat(alarm.severity()).isEqualTo(Severity.INFO);
            assertThat(alarm.alarmId()).isEqualTo(alarms(h).get(0).alarmId());
            assertThat(alarm.message()).startsWith("resolved");
        });
    }

    private OneInputStreamOperatorTestHarness<FeatureRow, PartitionCommitted> harness(OperatorSubtaskState restore)
            throws Exception {
        IntegrityStore store = new IntegrityStore(dir.resolve("snapshots").toUri(), dir.resolve("backup").toUri());
        var h = new OneInputStreamOperatorTestHarness<>(new SnapshotManifestWriter(store, PartitionGranularity.DAILY,
                SEAL_DEADLINE, clock));
        h.setup();
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    private static FeatureRow row(long windowStart) {
        return new FeatureRow("m1", windowStart, windowStart + QUARTER, 1.0, 1.0, 1.0, 1, 0.0, false, false, 0L);
    }

    /** Writes rows as the FileSink would commit them (visible name) or hold them in progress (hidden name). */
    private void sinkFile(String partition, String name, FeatureRow... rows) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FeatureRowJsonEncoder encoder = new FeatureRowJsonEncoder();
        for (FeatureRow row : rows) {
            encoder.encode(row, out);
        }
        Path file = dir.resolve("snapshots").resolve(partition).resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, out.toByteArray());
    }

    private static void feed(OneInputStreamOperatorTestHarness<FeatureRow, PartitionCommitted> h, FeatureRow... rows)
            throws Exception {
        for (FeatureRow row : rows) {
            h.processElement(new StreamRecord<>(row, row.windowEnd() - 1));
        }
    }

    private SnapshotManifest manifest(String partition) throws Exception {
        return Json.MAPPER.readValue(dir.resolve("snapshots").resolve(partition).resolve("_MANIFEST.json").toFile(),
                SnapshotManifest.class);
    }

    @Test
    void sealsACompletePartitionOnlyWhenItsCommittedFilesHoldAllCountedRows() throws Exception {
        var h = harness(null);
        FeatureRow a = row(JAN2), b = row(JAN2 + QUARTER), c = row(JAN2 + DAY - QUARTER);
        feed(h, a, b, c, row(JAN2 + DAY)); // three rows on Jan 2, one on Jan 3
        sinkFile("dt=2024-01-02", "part-0-0", a, b);
        sinkFile("dt=2024-01-02", ".part-0-1.inprogress.x", c); // not committed yet

        h.notifyOfCompletedCheckpoint(1);
        assertThat(h.extractOutputValues()).isEmpty(); // watermark has not passed Jan 2

        h.processWatermark(new Watermark(JAN2 + DAY - 1));
        h.notifyOfCompletedCheckpoint(2);
        assertThat(h.extractOutputValues()).isEmpty(); // 2 of 3 rows committed
        assertThat(dir.resolve("snapshots/dt=2024-01-02/_MANIFEST.json")).doesNotExist();

        Files.move(dir.resolve("snapshots/dt=2024-01-02/.part-0-1.inprogress.x"),
                dir.resolve("snapshots/dt=2024-01-02/part-0-1"));
        h.notifyOfCompletedCheckpoint(3);
        assertThat(h.extractOutputValues()).singleElement().satisfies(p -> {
            assertThat(p.partitionId()).isEqualTo("dt=2024-01-02");
            assertThat(p.rangeStart()).isEqualTo(JAN2);
            assertThat(p.rangeEnd()).isEqualTo(JAN2 + DAY);
            assertThat(p.rows()).isEqualTo(3);
        });
        SnapshotManifest manifest = manifest("dt=2024-01-02");
        assertThat(manifest.schemaVersion()).isEqualTo(SnapshotManifest.SCHEMA_VERSION);
        assertThat(manifest.files()).extracting(SnapshotManifest.ManifestFile::path)
                .containsExactly("part-0-0", "part-0-1");
        for (SnapshotManifest.ManifestFile f : manifest.files()) {
            Path primary = dir.resolve("snapshots/dt=2024-01-02").resolve(f.path());
            assertThat(f.sha256()).isEqualTo(FileDigest.of(org.apache.flink.core.fs.Path.fromLocalFile(
                    primary.toFile())).sha256());
            assertThat(dir.resolve("backup/dt=2024-01-02").resolve(f.path())).hasSameBinaryContentAs(primary);
        }
        assertThat(dir.resolve("backup/dt=2024-01-02/_MANIFEST.json")).exists();
    }

    @Test
    void emptyPartitionsBetweenSealedOnesGetEmptyManifestsInOrder() throws Exception {
        var h = harness(null);
        FeatureRow jan2 = row(JAN2), jan4 = row(JAN2 + 2 * DAY);
        feed(h, jan2, jan4);
        sinkFile("dt=2024-01-02", "part-0-0", jan2);
        sinkFile("dt=2024-01-04", "part-0-1", jan4);
        h.processWatermark(new Watermark(JAN2 + 3 * DAY));
        h.notifyOfCompletedCheckpoint(1);
        assertThat(h.extractOutputValues()).extracting(PartitionCommitted::partitionId, PartitionCommitted::rows)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("dt=2024-01-02", 1L),
                        org.assertj.core.groups.Tuple.tuple("dt=2024-01-03", 0L),
                        org.assertj.core.groups.Tuple.tuple("dt=2024-01-04", 1L));
        assertThat(manifest("dt=2024-01-03").files()).isEmpty();
    }

    @Test
    void replayAfterRestoreKeepsTheManifestAndCountsLateRowsOut() throws Exception {
        var h = harness(null);
        FeatureRow a = row(JAN2);
        feed(h, a);
        h.processWatermark(new Watermark(JAN2 + DAY));
        OperatorSubtaskState checkpoint = h.snapshot(1, 1);
        sinkFile("dt=2024-01-02", "part-0-0", a);
        h.notifyOfCompletedCheckpoint(1);
        assertThat(h.extractOutputValues()).hasSize(1);
        SnapshotManifest first = manifest("dt=2024-01-02");
        h.close();

        // failure after the manifest was written but before the next checkpoint: state from checkpoint 1 again
        var restored = harness(checkpoint);
        restored.processWatermark(new Watermark(JAN2 + DAY));
        restored.notifyOfCompletedCheckpoint(1);
        List<PartitionCommitted> replayed = restored.extractOutputValues();
        assertThat(replayed).singleElement().satisfies(p -> assertThat(p.rows()).isEqualTo(1));
        assertThat(manifest("dt=2024-01-02")).isEqualTo(first); // same manifest, same createdAt

        feed(restored, row(JAN2 + QUARTER)); // late row for the sealed partition: not counted, not sealed again
        restored.processWatermark(new Watermark(JAN2 + 2 * DAY));
        restored.notifyOfCompletedCheckpoint(2);
        assertThat(restored.extractOutputValues()).hasSize(1);
        restored.close();
    }
}
