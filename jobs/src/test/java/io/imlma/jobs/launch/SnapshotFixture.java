package io.imlma.jobs.launch;

import io.imlma.common.integrity.SnapshotLocation;
import io.imlma.jobs.VerifySnapshotJob;
import io.imlma.common.integrity.IntegrityStore;
import io.imlma.common.integrity.SealedSnapshot;
import io.imlma.common.integrity.SnapshotManifest;
import io.imlma.common.integrity.TimeRange;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.RetrainReason;
import io.imlma.common.types.RetrainRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small daily-partitioned snapshot under a directory, sealed (manifests with SHA-256, backup copies) as the
 * streaming job leaves it.
 */
final class SnapshotFixture {
    static final long DAY = Duration.ofDays(1).toMillis();
    static final long QUARTER = Duration.ofMinutes(15).toMillis();
    static final long JAN2 = Instant.parse("2024-01-02T00:00:00Z").toEpochMilli();

    final Path primary;
    final Path backup;
    final TimeRange range;
    final long rows;
    final List<SnapshotManifest> manifests;

    private SnapshotFixture(Path primary, Path backup, TimeRange range, long rows, List<SnapshotManifest> manifests) {
        this.primary = primary;
        this.backup = backup;
        this.range = range;
        this.rows = rows;
        this.manifests = manifests;
    }

    /** {@code days} daily partitions from 2024-01-02, each with a file of 96 quarter-hour rows per meter. */
    static SnapshotFixture write(Path dir, int days, int meters) throws IOException {
        Path primary = dir.resolve("snapshots");
        Path backup = dir.resolve("backup");
        List<FeatureRow> rows = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            long dayStart = JAN2 + d * DAY;
            for (int m = 0; m < meters; m++) {
                for (long t = dayStart; t < dayStart + DAY; t += QUARTER) {
                    double load = 5 + m + Math.sin(t / (double) DAY * 2 * Math.PI);
                    rows.add(new FeatureRow("meter-" + m, t, t + QUARTER, load, load - 0.1, load + 0.1, 15, 0.0,
                            false, false, t + QUARTER));
                }
            }
        }
        List<SnapshotManifest> manifests = SealedSnapshot.write(new IntegrityStore(primary.toUri(), backup.toUri()),
                rows);
        return new SnapshotFixture(primary, backup, new TimeRange(JAN2, JAN2 + days * DAY), rows.size(), manifests);
    }

    /** Launcher settings that pass the snapshot paths through to the job. */
    Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(SnapshotLocation.PATH.key(), primary.toUri().toString());
        settings.put(SnapshotLocation.BACKUP_PATH.key(), backup.toUri().toString());
        settings.put(SnapshotLocation.PARTITION.key(), "daily");
        // these tests are about launching, so the job they launch only verifies and reads the snapshot
        settings.put(LauncherConfig.ENTRY_CLASS.key(), VerifySnapshotJob.class.getName());
        return settings;
    }

    RetrainRequest request(String id) {
        return new RetrainRequest(id, "load-forecast", RetrainReason.VOLUME, range.from(), range.to(), 1000, rows,
                range.to());
    }

    /** Path of the first file of the first partition, below {@code base} (the primary or the backup). */
    Path firstFile(Path base) {
        SnapshotManifest first = manifests.get(0);
        return base.resolve(first.partitionId()).resolve(first.files().get(0).path());
    }

    /** Flips bytes in the middle of a file, keeping its size: only the SHA-256 can tell. */
    static void flipBytes(Path file) throws IOException {
        byte[] content = Files.readAllBytes(file);
        for (int i = content.length / 2; i < content.length / 2 + 8; i++) {
            content[i] ^= 0x5A;
        }
        Files.write(file, content);
    }
}
