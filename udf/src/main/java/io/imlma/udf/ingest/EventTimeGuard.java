package io.imlma.udf.ingest;

import io.imlma.common.types.MeterReading;
import io.imlma.common.types.RejectReason;
import io.imlma.udf.PipelineMetrics;
import io.imlma.udf.SideOutputs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps readings with a skewed clock away from the watermark: runs before the watermark assigner, on the same
 * parallel instance, and compares each reading's timestamp with the newest event time this instance has let through
 * (its <em>clock</em>; in a replay of 2016 data the wall clock says nothing, the data's own time does).
 *
 * <ul>
 *   <li>More than {@code maxAhead} ahead of the clock: quarantined ({@link SideOutputs#DEAD_LETTERS}, reason
 *       {@code clock skew future}, counted), unless the jump is confirmed: the next reading that is also that far
 *       ahead, later than the first of them and within {@code maxAhead} of them, shows the input itself moved on
 *       (a source back after an outage), and is let through with the clock set to it. So one re-dated reading, or
 *       one line's readings of the same time, can't move the watermark; a real jump costs the readings of its first
 *       timestamp. Any reading let through in between ends the wait.</li>
 *   <li>More than {@code maxBehind} behind the clock: quarantined ({@code clock skew past}, counted): a clock
 *       problem, not a delay. Readings behind by less than that but behind the watermark stay the keyed
 *       preprocessing's to report late, counted, on {@link SideOutputs#LATE_READINGS}.</li>
 * </ul>
 * The first reading sets the clock. The clock is kept in operator state (the highest of all instances' after a
 * rescale), so a restore does not open the door to a skewed reading.
 *
 * <p>Per-meter clocks and the watermark: the watermark is per source instance (its newest event time minus the
 * out-of-orderness bound) and the keyed preprocessing takes the least over its inputs; an instance silent for the
 * idleness timeout stops holding it back. Meters are not clocked one by one: a meter lagging the others of its
 * instance by more than the out-of-orderness bound has its readings reported late, by more than {@code maxBehind}
 * quarantined; a meter ahead of them is quarantined as long as the others go on at their time. The wall clock
 * limits live input only: a JSON reading more than {@code parse.max-future} ahead of it is dead-lettered when it is
 * parsed ({@link ParseReading}).
 */
public class EventTimeGuard extends ProcessFunction<MeterReading, MeterReading> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    /** The source of its dead letters. */
    public static final String SOURCE = "event-time-guard";
    private static final long NONE = Long.MIN_VALUE;

    private final long maxAheadMillis;
    private final long maxBehindMillis;
    private transient ListState<Long> clockState;
    private transient long clock;
    /** the timestamp of the readings quarantined ahead since the last one let through, or NONE */
    private transient long jumpFirst;
    private transient Map<RejectReason, Counter> quarantined;

    public EventTimeGuard(Duration maxAhead, Duration maxBehind) {
        this.maxAheadMillis = maxAhead.toMillis();
        this.maxBehindMillis = maxBehind.toMillis();
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        clockState = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("event-time-clock", Types.LONG));
        clock = NONE;
        for (Long c : clockState.get()) {
            clock = Math.max(clock, c);
        }
        jumpFirst = NONE;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        clockState.update(clock == NONE ? List.of() : List.of(clock));
    }

    @Override
    public void open(OpenContext openContext) {
        quarantined = PipelineMetrics.rejectedCounters(getRuntimeContext().getMetricGroup(),
                RejectReason.CLOCK_SKEW_FUTURE, RejectReason.CLOCK_SKEW_PAST);
    }

    @Override
    public void processElement(MeterReading reading, Context ctx, Collector<MeterReading> out) {
        long ts = reading.timestamp();
        if (clock != NONE && ts > clock + maxAheadMillis && !confirmsJump(ts)) {
            quarantine(reading, RejectReason.CLOCK_SKEW_FUTURE, "timestamp " + Instant.ofEpochMilli(ts) + " is "
                    + Duration.ofMillis(ts - clock) + " ahead of the input's newest accepted time "
                    + Instant.ofEpochMilli(clock) + " (bound " + Duration.ofMillis(maxAheadMillis) + ")", ctx);
            return;
        }
        if (clock != NONE && ts < clock - maxBehindMillis) {
            quarantine(reading, RejectReason.CLOCK_SKEW_PAST, "timestamp " + Instant.ofEpochMilli(ts) + " is "
                    + Duration.ofMillis(clock - ts) + " behind the input's newest accepted time "
                    + Instant.ofEpochMilli(clock) + " (bound " + Duration.ofMillis(maxBehindMillis) + ")", ctx);
            return;
        }
        clock = Math.max(clock, ts);
        jumpFirst = NONE;
        out.collect(reading);
    }

    /** Whether {@code ts}, far ahead, follows readings quarantined as far ahead: then the input itself moved on. */
    private boolean confirmsJump(long ts) {
        if (jumpFirst != NONE && ts > jumpFirst && ts <= jumpFirst + maxAheadMillis) {
            return true;
        }
        jumpFirst = ts;
        return false;
    }

    private void quarantine(MeterReading reading, RejectReason reason, String details, Context ctx) {
        quarantined.get(reason).inc();
        ctx.output(SideOutputs.DEAD_LETTERS, SideOutputs.deadLetter(SOURCE, reading, reason.describe(details)));
    }
}
