package io.imlma.udf.preprocess;

import io.imlma.common.features.FeatureSettings;
import io.imlma.common.features.MeterFeatures;
import io.imlma.common.types.DuplicateConflict;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.MeterReading;
import io.imlma.common.types.RejectReason;
import io.imlma.udf.PipelineMetrics;
import io.imlma.udf.SideOutputs;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The keyed preprocessing of one meter in one operator and one value state ({@link MeterState}): plausibility
 * checks ({@link Plausibility}), duplicate suppression, tumbling event-time intervals (mean, min, max, count), imputation of missing intervals by the running
 * mean and the online z-score ({@link MeterFeatures}). A reading costs one state read and, unless it is a re-send,
 * one write; an interval costs one event-time timer at its end.
 *
 * <p>Plausibility first: a value that is not finite or outside its channel's bounds is rejected before any state is
 * read, one that is an outlier against the meter's recent readings before anything else is done with the state (the
 * outlier still enters that history, see {@link Plausibility}). A rejected reading goes to
 * {@link SideOutputs#DEAD_LETTERS} with the reason and is counted by reason
 * ({@code reason_}{@value PipelineMetrics#REJECTED}); it never reaches dedup, intervals, imputation or statistics.
 * Negative zero is read as zero, so that a re-send written {@code -0.0} is a duplicate and not a conflict.
 *
 * <p>Duplicates: the first reading of a (meter, timestamp) counts. An exact re-send is dropped and counted; a
 * different value for the same timestamp is a conflict, reported on {@link SideOutputs#CONFLICTS} and counted, and
 * the first value is kept ("keep latest" would have to retract a row already emitted).
 *
 * <p>Lateness: an interval closes when the watermark reaches its last millisecond (allowed lateness 0), so each
 * (meter, interval) row is emitted exactly once, in interval order; tolerance for disorder comes from the
 * watermark's out-of-orderness bound. A new reading for a closed interval goes to {@link SideOutputs#LATE_READINGS},
 * counted — also one for an interval whose row is out while the watermark is still low after a restore. The readings of closed intervals are kept apart, in a map state with a time-to-live ({@code dedupTtl},
 * processing time from the interval's close), written once per interval and read only for a reading that is late:
 * a re-send of a closed interval's reading within the time-to-live is still a duplicate (or a conflict), not late.
 *
 * <p>Gaps: an interval without readings gets an imputed row (count 0) when the meter's next interval closes, or
 * when the watermark passes its end while the meter is silent (a timer at the end of the next interval owed). At end
 * of input (watermark at its maximum) nothing is imputed after a meter's last interval: there is no later time to
 * fill up to.
 */
public class PreprocessReadings extends KeyedProcessFunction<String, MeterReading, FeatureRow> {
    private static final long serialVersionUID = 1L;
    /** The source of its dead letters. */
    public static final String SOURCE = "preprocess-readings";

    private final FeatureSettings settings;
    private final Duration dedupTtl;
    private final Plausibility plausibility;
    private transient ValueState<MeterState> meters;
    private transient MapState<Long, long[]> closedReadings;
    private transient Counter duplicates;
    private transient Counter conflicts;
    private transient Counter late;
    private transient Counter imputed;
    private transient Counter featureRows;
    private transient Map<RejectReason, Counter> rejected;

    /**
     * @param interval        length of an interval
     * @param dedupTtl        how long the readings of a closed interval are remembered, in processing time
     * @param warmUpIntervals observed intervals before a meter's z-scores are trusted
     * @param plausibility    the checks a reading passes before it touches state
     */
    public PreprocessReadings(Duration interval, Duration dedupTtl, int warmUpIntervals, Plausibility plausibility) {
        this.settings = new FeatureSettings(interval, warmUpIntervals);
        this.dedupTtl = dedupTtl;
        this.plausibility = plausibility;
    }

    @Override
    public void open(OpenContext openContext) {
        meters = getRuntimeContext().getState(new ValueStateDescriptor<>("meter", MeterStateSerializer.INSTANCE));
        var closed = new MapStateDescriptor<>("closed-interval-readings", Types.LONG,
                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);
        closed.enableTimeToLive(StateTtlConfig.newBuilder(dedupTtl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        closedReadings = getRuntimeContext().getMapState(closed);
        var metrics = getRuntimeContext().getMetricGroup();
        duplicates = metrics.counter(PipelineMetrics.DUPLICATES);
        conflicts = metrics.counter(PipelineMetrics.CONFLICTS);
        late = metrics.counter(PipelineMetrics.LATE);
        imputed = metrics.counter(PipelineMetrics.IMPUTED);
        featureRows = metrics.counter(PipelineMetrics.FEATURE_ROWS);
        rejected = PipelineMetrics.rejectedCounters(metrics, RejectReason.NOT_FINITE, RejectReason.OUT_OF_BOUNDS,
                RejectReason.OUTLIER);
    }

    @Override
    public void processElement(MeterReading input, Context ctx, Collector<FeatureRow> out) throws Exception {
        MeterReading reading = Double.compare(input.value(), -0.0) == 0
                ? new MeterReading(input.meterId(), input.timestamp(), 0.0, input.ingestTime())
                : input;
        Plausibility.Rejection implausible = plausibility.checkValue(reading.meterId(), reading.value());
        if (implausible != null) {
            reject(reading, implausible, ctx);
            return;
        }
        long start = settings.intervalStart(reading.timestamp());
        long end = start + settings.intervalMillis();
        if (end - 1 <= ctx.timerService().currentWatermark()) {
            processLate(reading, start, ctx);
            return;
        }
        MeterState state = meters.value();
        if (state == null) {
            state = new MeterState();
        } else if (state.features.started() && start < state.features.nextStart()) {
            // its row is out already, though the watermark does not say so yet: right after a restore it starts low
            processLate(reading, start, ctx);
            return;
        }
        Plausibility.Rejection outlier = plausibility.checkOutlier(reading.value(), state.recent);
        if (outlier != null) {
            state.recent = plausibility.remember(state.recent, reading.value());
            meters.update(state);
            reject(reading, outlier, ctx);
            return;
        }
        OpenInterval interval = state.openInterval(start);
        if (interval == null) {
            interval = state.openNew(start);
            ctx.timerService().registerEventTimeTimer(end - 1);
        } else if (!isNew(reading, interval.readings, ctx)) {
            return;
        }
        interval.add(reading.timestamp(), reading.value(), reading.ingestTime());
        state.recent = plausibility.remember(state.recent, reading.value());
        meters.update(state);
    }

    private void reject(MeterReading reading, Plausibility.Rejection rejection, Context ctx) {
        rejected.get(rejection.reason()).inc();
        ctx.output(SideOutputs.DEAD_LETTERS, SideOutputs.deadLetter(SOURCE, reading, rejection.message()));
    }

    /** A reading for an interval already closed: a re-send of one of its readings, or late. */
    private void processLate(MeterReading reading, long start, Context ctx) throws Exception {
        long[] seen = closedReadings.get(start);
        if (isNew(reading, seen, ctx)) {
            closedReadings.put(start, SeenReadings.with(seen, reading.timestamp(), reading.value()));
            late.inc();
            ctx.output(SideOutputs.LATE_READINGS, reading);
        }
    }

    /** Whether no reading of the same timestamp was seen; counts the re-send or reports the conflict if one was. */
    private boolean isNew(MeterReading reading, long[] seen, Context ctx) {
        int i = SeenReadings.indexOf(seen, reading.timestamp());
        if (i < 0) {
            return true;
        }
        double kept = SeenReadings.value(seen, i);
        if (Double.compare(kept, reading.value()) == 0) {
            duplicates.inc();
        } else {
            conflicts.inc();
            ctx.output(SideOutputs.CONFLICTS,
                    new DuplicateConflict(reading.meterId(), reading.timestamp(), kept, reading.value()));
        }
        return false;
    }

    /**
     * At the last millisecond of an interval: closes the interval ending here, if it had readings, then imputes the
     * intervals the watermark has passed without readings and waits for the end of the next one owed.
     */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<FeatureRow> out) throws Exception {
        MeterState state = meters.value();
        String meterId = ctx.getCurrentKey();
        Consumer<FeatureRow> emit = row -> {
            out.collect(row);
            featureRows.inc();
        };
        MeterFeatures features = state.features;
        long nextStart = features.nextStart();
        boolean changed = false;
        while (!state.open.isEmpty() && state.open.get(0).start + settings.intervalMillis() - 1 <= timestamp) {
            OpenInterval interval = state.open.remove(0);
            imputed.inc(features.observe(meterId, interval.start, interval.aggregate(), settings, emit));
            closedReadings.put(interval.start, interval.readings);
            changed = true;
        }
        long watermark = ctx.timerService().currentWatermark();
        if (watermark != Long.MAX_VALUE && features.started()) {
            // every interval whose last millisecond the watermark has reached is owed a row; the open ones are not
            long until = settings.intervalStart(watermark + 1);
            if (!state.open.isEmpty()) {
                until = Math.min(until, state.open.get(0).start);
            }
            imputed.inc(features.imputeUntil(meterId, until, settings, emit));
            ctx.timerService().registerEventTimeTimer(features.nextStart() + settings.intervalMillis() - 1);
        }
        if (changed || features.nextStart() != nextStart) {
            meters.update(state);
        }
    }
}
