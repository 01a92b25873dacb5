package io.imlma.udf.snapshot;

import io.imlma.common.integrity.IntegrityStore;
import io.imlma.common.integrity.PartitionCommitted;
import io.imlma.common.integrity.PartitionGranularity;
import io.imlma.common.integrity.SnapshotManifest;
import io.imlma.common.integrity.SnapshotPartitionCommitter;
import io.imlma.common.integrity.TimeRange;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.Severity;
import io.imlma.udf.monitor.MonitorMetrics;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Writes the manifest of each complete snapshot partition, beside the FileSink that writes the rows (both read the
 * same stream). Runs with parallelism 1 and counts the rows it sees per partition. A partition is complete when the
 * watermark has passed its end; after each completed checkpoint, complete partitions are sealed in time order
 * (gaps get empty manifests, so every partition of a sealed range has one) — but only once the sink's committed
 * files hold exactly the counted rows, because the sink commits on the same notification, in no guaranteed order.
 *
 * <p>Exactly-once: the counts and the sealed-up-to time are operator state, so after a failure the job resumes
 * from the last checkpoint's counts, which match what the FileSink restores. Sealing is idempotent (an existing
 * manifest with the expected rows is kept, backups already correct are not copied again), and a partition leaves
 * the state only in the checkpoint after it was sealed, so a replay may seal and emit it again, never lose it; the
 * trigger ignores a {@link PartitionCommitted} it has already counted.
 *
 * <p>A complete partition that is still not sealed {@code sealDeadline} (wall clock) after its first attempt raises a
 * {@link AlarmType#LOOP_STALL} alarm on {@link #ALARMS} with the reason — rows in committed files against the rows
 * counted — since nothing after it can be sealed or trained on; an INFO alarm of the same id follows when it is
 * sealed. The wait is measured from the first attempt of this run (not kept in state: after a restore it restarts).
 */
public final class SnapshotManifestWriter extends AbstractStreamOperator<PartitionCommitted>
        implements OneInputStreamOperator<FeatureRow, PartitionCommitted> {
    private static final long serialVersionUID = 1L;

    /** Alarms when a partition cannot be sealed (I/O failure, bad backup copy); sealing is retried. */
    public static final OutputTag<Alarm> ALARMS = new OutputTag<>("snapshot-alarms", TypeInformation.of(Alarm.class));

    private static final long NOTHING_SEALED = Long.MIN_VALUE;

    private final IntegrityStore store;
    private final PartitionGranularity granularity;
    private final Duration sealDeadline;
    private final Clock clock;

    private transient SnapshotPartitionCommitter committer;
    private transient TreeMap<Long, Long> rowsByPartitionStart;
    private transient long sealedUntil;
    private transient long watermark;
    private transient ListState<Tuple2<Long, Long>> rowsState;
    private transient ListState<Long> sealedUntilState;
    private transient Counter lateRows;
    private transient Counter partitionsSealed;
    private transient Counter sealFailures;
    /** LOOP_STALL alarms raised, as the monitors count theirs (the alert rules relay them by type). */
    private transient Counter stallsRaised;
    /** Wall-clock time of the first failed attempt to seal each waiting partition, by partition start. */
    private transient Map<Long, Long> waitingSince;
    /** Waiting partitions a LOOP_STALL alarm was raised for. */
    private transient Set<Long> overdue;

    /** @param sealDeadline how long a complete partition may wait for the sink's files before LOOP_STALL */
    public SnapshotManifestWriter(IntegrityStore store, PartitionGranularity granularity, Duration sealDeadline) {
        this(store, granularity, sealDeadline, Clock.systemUTC());
    }

    SnapshotManifestWriter(IntegrityStore store, PartitionGranularity granularity, Duration sealDeadline,
                           Clock clock) {
        this.store = store;
        this.granularity = granularity;
        this.sealDeadline = sealDeadline;
        this.clock = clock;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        rowsState = context.getOperatorStateStore().getListState(new ListStateDescriptor<>(
                "rows-by-partition", TypeInformation.of(new TypeHint<Tuple2<Long, Long>>() {})));
        sealedUntilState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("sealed-until", Long.class));
        rowsByPartitionStart = new TreeMap<>();
        sealedUntil = NOTHING_SEALED;
        watermark = Long.MIN_VALUE;
        for (Tuple2<Long, Long> entry : rowsState.get()) {
            rowsByPartitionStart.merge(entry.f0, entry.f1, Long::sum);
        }
        for (Long until : sealedUntilState.get()) {
            sealedUntil = Math.max(sealedUntil, until);
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        committer = new SnapshotPartitionCommitter(store, Clock.systemUTC());
        lateRows = getMetricGroup().counter("snapshotLateRows");
        partitionsSealed = getMetricGroup().counter("snapshotPartitionsSealed");
        sealFailures = getMetricGroup().counter("snapshotSealFailures");
        getMetricGroup().gauge("snapshotPendingPartitions", () -> rowsByPartitionStart.size());
        stallsRaised = getMetricGroup().addGroup(MonitorMetrics.ALARM_TYPE_GROUP, AlarmType.LOOP_STALL.name())
                .counter(MonitorMetrics.ALARMS_RAISED);
        waitingSince = new HashMap<>();
        overdue = new HashSet<>();
    }

    @Override
    public void processElement(StreamRecord<FeatureRow> element) {
        long start = granularity.startOf(element.getValue().windowStart());
        if (start + granularity.length() <= sealedUntil) {
            // the sink writes it into a partition already sealed; readers use the manifest, so it is never read
            lateRows.inc();
            LOG.warn("Row for sealed partition {} is not in its manifest: {}", granularity.partitionId(start),
                    element.getValue());
            return;
        }
        rowsByPartitionStart.merge(start, 1L, Long::sum);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = Math.max(watermark, mark.getTimestamp());
        super.processWatermark(mark);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        rowsState.clear();
        for (Map.Entry<Long, Long> entry : rowsByPartitionStart.entrySet()) {
            rowsState.add(Tuple2.of(entry.getKey(), entry.getValue()));
        }
        sealedUntilState.update(java.util.List.of(sealedUntil));
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        while (!rowsByPartitionStart.isEmpty()) {
            long start = rowsByPartitionStart.firstKey();
            if (start + granularity.length() - 1 > watermark) {
                return; // rows of this partition may still come
            }
            if (sealedUntil != NOTHING_SEALED) {
                for (long gap = sealedUntil; gap < start; gap += granularity.length()) {
                    if (!seal(gap, 0)) {
                        return;
                    }
                }
            }
            if (!seal(start, rowsByPartitionStart.get(start))) {
                return;
            }
            rowsByPartitionStart.remove(start);
        }
    }

    private void checkDeadline(long start, TimeRange range, String partitionId, long expected) {
        long now = clock.millis();
        long since = waitingSince.computeIfAbsent(start, s -> now);
        if (now - since <= sealDeadline.toMillis() || overdue.contains(start)) {
            return;
        }
        long committed;
        try {
            committed = committer.committedRows(partitionId).orElse(-1);
        } catch (IOException e) {
            committed = -1;
        }
        String found = committed < 0 ? "its committed files could not be counted" : committed + " rows in committed files";
        String message = String.format("snapshot partition %s not sealed %s after it was complete: %s, %d expected "
                        + "(rows counted from the stream); no later partition can be sealed or trained on until it is",
                partitionId, Duration.ofMillis(now - since), found, expected);
        LOG.error(message);
        output.collect(ALARMS, new StreamRecord<>(new Alarm(unsealedId(partitionId), AlarmType.LOOP_STALL,
                Severity.CRITICAL, null, 0, Math.max(committed, 0), expected, range.to() - 1, message),
                range.to() - 1));
        overdue.add(start);
        stallsRaised.inc();
    }

    private static String unsealedId(String partitionId) {
        return "snapshot-unsealed:" + partitionId;
    }

    /** Seals one partition if its files are committed; false means try again after the next checkpoint. */
    private boolean seal(long start, long rows) {
        TimeRange range = new TimeRange(start, start + granularity.length());
        String partitionId = granularity.partitionId(start);
        Optional<SnapshotManifest> manifest;
        try {
            manifest = committer.tryCommit(partitionId, range, rows);
        } catch (IOException e) {
            sealFailures.inc();
            LOG.error("Cannot seal snapshot partition {}; retrying after the next checkpoint", partitionId, e);
            output.collect(ALARMS, new StreamRecord<>(new Alarm("snapshot-seal:" + partitionId + ":"
                    + e.getClass().getSimpleName(), AlarmType.INTEGRITY, Severity.WARNING, null, 0, 0, 0,
                    range.to() - 1, "Cannot seal snapshot partition " + partitionId + ": " + e.getMessage()),
                    range.to() - 1));
            return false;
        }
        if (manifest.isEmpty()) {
            checkDeadline(start, range, partitionId, rows);
            return false;
        }
        waitingSince.remove(start);
        if (overdue.remove(start)) {
            output.collect(ALARMS, new StreamRecord<>(new Alarm(unsealedId(partitionId), AlarmType.LOOP_STALL,
                    Severity.INFO, null, 0, rows, rows, range.to() - 1, "resolved: snapshot partition " + partitionId
                    + " sealed with " + rows + " rows"), range.to() - 1));
        }
        sealedUntil = range.to();
        partitionsSealed.inc();
        output.collect(new StreamRecord<>(new PartitionCommitted(partitionId, range.from(), range.to(), rows,
                store.primary(partitionId + "/" + SnapshotManifest.FILE_NAME).toString()), range.to() - 1));
        return true;
    }
}
