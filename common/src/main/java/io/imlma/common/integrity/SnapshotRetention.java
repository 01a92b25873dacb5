package io.imlma.common.integrity;

import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes snapshot partitions (primary and backup) that ended more than {@code keep} ago, except any partition
 * overlapping a protected range: the data a registered model was trained on stays, so it can be retrained or audited.
 */
public final class SnapshotRetention {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotRetention.class);

    private final IntegrityStore store;
    private final PartitionGranularity granularity;
    private final Duration keep;

    public SnapshotRetention(IntegrityStore store, PartitionGranularity granularity, Duration keep) {
        if (keep.isNegative() || keep.isZero()) {
            throw new IllegalArgumentException("retention must be positive, got " + keep);
        }
        this.store = store;
        this.granularity = granularity;
        this.keep = keep;
    }

    /** Deletes expired, unprotected partitions; returns their ids in time order. */
    public List<String> apply(long now, Collection<TimeRange> protectedRanges) throws IOException {
        long cutoff = now - keep.toMillis();
        TreeSet<String> expired = new TreeSet<>();
        for (Path base : List.of(store.primary(""), store.backup(""))) {
            for (String id : partitionIds(base)) {
                TimeRange range = new TimeRange(granularity.startOf(id), granularity.startOf(id) + granularity.length());
                if (range.to() <= cutoff && protectedRanges.stream().noneMatch(range::overlaps)) {
                    expired.add(id);
                }
            }
        }
        for (String id : expired) {
            for (Path dir : List.of(store.primary(id), store.backup(id))) {
                FileSystem fs = dir.getFileSystem();
                if (fs.exists(dir) && !fs.delete(dir, true)) {
                    throw new IOException("cannot delete expired partition " + dir);
                }
            }
            LOG.info("Retention deleted snapshot partition {}", id);
        }
        return new ArrayList<>(expired);
    }

    private List<String> partitionIds(Path base) throws IOException {
        FileSystem fs = base.getFileSystem();
        List<String> ids = new ArrayList<>();
        if (!fs.exists(base)) {
            return ids;
        }
        for (FileStatus status : fs.listStatus(base)) {
            String name = status.getPath().getName();
            if (status.isDir() && isPartitionId(name)) {
                ids.add(name);
            }
        }
        return ids;
    }

    private boolean isPartitionId(String name) {
        try {
            granularity.startOf(name);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
