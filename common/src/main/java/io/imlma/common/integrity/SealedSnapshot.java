package io.imlma.common.integrity;

import io.imlma.common.json.Json;
import io.imlma.common.types.FeatureRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes feature rows as the streaming job leaves a snapshot: one JSON-lines file per daily partition, sealed by the
 * project's {@link SnapshotPartitionCommitter} (manifest with SHA-256, backup copies): snapshots for the programs that
 * read them without a streaming job in front (the retraining benchmark, the tests of the retraining job, the
 * launchers and the API's evaluator).
 */
public final class SealedSnapshot {
    /** The name of each partition's file, as the first part file of the sink's first subtask. */
    public static final String FILE = "part-0-0.jsonl";

    private SealedSnapshot() {}

    /**
     * Writes the rows (any order of meters and times; each file keeps the order given) into {@code store}'s primary
     * base and seals every (daily) partition.
     *
     * @return the manifests, in partition order
     */
    public static List<SnapshotManifest> write(IntegrityStore store, List<FeatureRow> rows) throws IOException {
        return write(store, rows, PartitionGranularity.DAILY);
    }

    /** As {@link #write(IntegrityStore, List)}, in partitions of {@code granularity}. */
    public static List<SnapshotManifest> write(IntegrityStore store, List<FeatureRow> rows,
                                               PartitionGranularity granularity) throws IOException {
        Map<String, List<FeatureRow>> partitions = new TreeMap<>();
        for (FeatureRow row : rows) {
            partitions.computeIfAbsent(granularity.partitionId(row.windowStart()), id -> new ArrayList<>()).add(row);
        }
        SnapshotPartitionCommitter committer = new SnapshotPartitionCommitter(store, Clock.systemUTC());
        List<SnapshotManifest> manifests = new ArrayList<>();
        for (Map.Entry<String, List<FeatureRow>> partition : partitions.entrySet()) {
            StringBuilder lines = new StringBuilder();
            partition.getValue().forEach(row -> lines.append(Json.write(row)).append('\n'));
            Path file = Path.of(store.primary(partition.getKey() + "/" + FILE).toUri());
            Files.createDirectories(file.getParent());
            Files.writeString(file, lines, StandardCharsets.UTF_8);
            long start = partition.getValue().get(0).windowStart();
            manifests.add(committer.tryCommit(partition.getKey(), granularity.rangeOf(start), partition.getValue().size())
                    .orElseThrow(() -> new IllegalStateException("partition " + partition.getKey() + " not sealed")));
        }
        return manifests;
    }

}
