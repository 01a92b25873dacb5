package io.imlma.jobs.snapshot;

import io.imlma.common.integrity.IntegrityStore;
import io.imlma.common.integrity.PartitionGranularity;
import io.imlma.common.integrity.SnapshotPartitionCommitter;
import io.imlma.common.json.Json;
import io.imlma.common.types.FeatureRow;
import io.imlma.ml.data.BundledData;
import io.imlma.ml.data.EttCsv;
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
 * Writes channels of the bundled ETTm1 data as a sealed, backed-up daily snapshot, as the streaming job would: the
 * data a retraining reads, for tests and benchmarks that have no pipeline running.
 */
public final class EttSnapshot {
    private EttSnapshot() {}

    /** @return the rows written, all channels */
    public static List<FeatureRow> write(IntegrityStore store, List<String> channels, int rowsPerChannel)
            throws IOException {
        List<FeatureRow> all = new ArrayList<>();
        for (String channel : channels) {
            all.addAll(EttCsv.read(BundledData.ettm1(), channel, 0, rowsPerChannel));
        }
        PartitionGranularity daily = PartitionGranularity.DAILY;
        Map<String, List<FeatureRow>> partitions = new TreeMap<>();
        for (FeatureRow row : all) {
            partitions.computeIfAbsent(daily.partitionId(row.windowStart()), id -> new ArrayList<>()).add(row);
        }
        SnapshotPartitionCommitter committer = new SnapshotPartitionCommitter(store, Clock.systemUTC());
        for (Map.Entry<String, List<FeatureRow>> partition : partitions.entrySet()) {
            StringBuilder lines = new StringBuilder();
            partition.getValue().forEach(row -> lines.append(Json.write(row)).append('\n'));
            Path file = Path.of(store.primary(partition.getKey() + "/part-0-0.jsonl").toUri());
            Files.createDirectories(file.getParent());
            Files.writeString(file, lines, StandardCharsets.UTF_8);
            long start = partition.getValue().get(0).windowStart();
            committer.tryCommit(partition.getKey(), daily.rangeOf(start), partition.getValue().size())
                    .orElseThrow(() -> new IllegalStateException("partition " + partition.getKey() + " not sealed"));
        }
        return all;
    }
}
