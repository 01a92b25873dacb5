package io.imlma.udf.trigger;

import io.imlma.common.integrity.PartitionCommitted;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.RetrainCommand;
import io.imlma.common.types.RetrainReason;
import io.imlma.common.types.RetrainRequest;
import io.imlma.udf.monitor.AlarmGate;
import io.imlma.udf.monitor.Hysteresis;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, per model (the key), when to retrain: when the committed rows since the last training exceed θ of the
 * rows it used (ΔD &gt; θ·D0; the first training waits for a minimum row count, also when the schedule is due),
 * when the weekly schedule is due
 * (an event-time timer, so replays decide the same way), or on a request of the second input: an operator's (manual) or
 * the drift monitor's. Several reasons at once make one request (manual &gt; volume, drift &gt; schedule). Only manual
 * requests bypass the minimum interval; any other that comes too soon stays pending and fires when the interval is
 * over. A request needs new committed rows and names exactly the committed
 * partitions [first partition start, last committed end); its id is derived from that range, so no data is
 * requested twice, also not after a restore from a checkpoint.
 *
 * <p>It explains itself: why it has not fired is logged (per committed partition) and exported as gauges —
 * {@value #ROWS_SINCE} (ΔD), {@value #ROWS_NEEDED} (the ΔD that makes the volume due), {@value #NEXT_SCHEDULE}
 * (epoch ms, 0 without a schedule) and {@value #DATA_SINCE_REQUEST} (data time since the last request, or since the
 * first data before one). When data keeps being committed but no request fires for longer than
 * {@link TriggerConfig#stallAfter()} of data time, a {@link AlarmType#LOOP_STALL} alarm on {@link #ALARMS} says so
 * with those reasons (re-notified while it lasts); the next request resolves it.
 */
public class RetrainTrigger extends KeyedCoProcessFunction<String, PartitionCommitted, RetrainCommand, RetrainRequest> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RetrainTrigger.class);

    public static final String ROWS_SINCE = "retrainDeltaD";
    public static final String ROWS_NEEDED = "retrainRowsNeeded";
    public static final String NEXT_SCHEDULE = "retrainNextScheduleAt";
    public static final String DATA_SINCE_REQUEST = "retrainDataSinceRequestMs";

    /** LOOP_STALL alarms (and their clearing). */
    public static final OutputTag<Alarm> ALARMS = new OutputTag<>("trigger-alarms") {};

    private final TriggerConfig config;
    /** Raises at once, re-notifies every day of data while stalled. */
    private final AlarmGate stallGate = new AlarmGate(AlarmType.LOOP_STALL,
            new Hysteresis(1, 1, 0, Duration.ofDays(1)));

    private transient ValueState<TriggerState> state;
    private transient Map<RetrainReason, Counter> requests;
    private transient Counter suppressed;
    private transient volatile long lastD0;
    private transient volatile long lastDeltaD;
    private transient volatile long lastRowsNeeded;
    private transient volatile long lastNextSchedule;
    private transient volatile long lastDataSinceRequest;

    public RetrainTrigger(TriggerConfig config) {
        this.config = config;
    }

    @Override
    public void open(Configuration parameters) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("retrain-trigger", TriggerState.class));
        requests = new EnumMap<>(RetrainReason.class);
        for (RetrainReason reason : RetrainReason.values()) {
            requests.put(reason, getRuntimeContext().getMetricGroup()
                    .addGroup("reason", reason.name().toLowerCase()).counter("retrainRequests"));
        }
        suppressed = getRuntimeContext().getMetricGroup().counter("retrainRequestsDeferred");
        getRuntimeContext().getMetricGroup().gauge("retrainD0", () -> lastD0);
        getRuntimeContext().getMetricGroup().gauge(ROWS_SINCE, () -> lastDeltaD);
        getRuntimeContext().getMetricGroup().gauge(ROWS_NEEDED, () -> lastRowsNeeded);
        getRuntimeContext().getMetricGroup().gauge(NEXT_SCHEDULE, () -> lastNextSchedule);
        getRuntimeContext().getMetricGroup().gauge(DATA_SINCE_REQUEST, () -> lastDataSinceRequest);
        stallGate.open(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement1(PartitionCommitted partition, Context ctx, Collector<RetrainRequest> out)
            throws Exception {
        TriggerState s = current();
        // the data's own time, not the watermark: a backlog replayed after downtime, whose watermark has run ahead
        // of its partition commits, makes the same decisions as the live stream did
        long now = partition.rangeEnd();
        scheduleIfUnset(s, now, ctx);
        if (s.committedUntil != TriggerState.NONE && partition.rangeEnd() <= s.committedUntil) {
            LOG.debug("Partition {} counted already (replay)", partition.partitionId());
            return;
        }
        if (s.dataFrom == TriggerState.NONE) {
            s.dataFrom = partition.rangeStart();
        }
        s.committedUntil = partition.rangeEnd();
        s.deltaD += partition.rows();
        if (config.volumeDue(s.d0, s.deltaD)) {
            s.pending = strongest(s.pending, RetrainReason.VOLUME);
        }
        long requestsBefore = s.lastTriggerTime;
        decide(s, now, ctx, out);
        if (s.lastTriggerTime == requestsBefore) {
            LOG.info("Partition {} committed, no retraining of {} requested: {}", partition.partitionId(),
                    ctx.getCurrentKey(), whyNot(s));
            checkStall(s, partition.rangeEnd(), ctx);
            state.update(s);
        }
    }

    /** Raises (or re-notifies) LOOP_STALL when the data committed since the last request spans too long. */
    private void checkStall(TriggerState s, long now, Context ctx) {
        if (config.stallAfter().isZero()) {
            return;
        }
        long since = since(s);
        String model = ctx.getCurrentKey();
        Hysteresis.Step step = stallGate.evaluate(s.stall, model, null, 0, now - since,
                config.stallAfter().toMillis(), now, String.format(
                        "no retraining of %s requested for %s of committed data (since %s, limit %s): %s",
                        model, Duration.ofMillis(now - since), Instant.ofEpochMilli(since), config.stallAfter(),
                        whyNot(s)), alarm -> ctx.output(ALARMS, alarm));
        if (step.transition() == Hysteresis.Transition.RAISE || step.transition() == Hysteresis.Transition.RENOTIFY) {
            LOG.warn("Loop stalled: no retraining of {} requested since {}: {}", model, Instant.ofEpochMilli(since),
                    whyNot(s));
        }
        s.stall = step.state();
    }

    /** Start of the data time without a request: the last request, or the first data before any. */
    private static long since(TriggerState s) {
        return s.lastTriggerTime != TriggerState.NONE ? s.lastTriggerTime : s.dataFrom;
    }

    /** Why no request fired (yet), in words: the volume rule's numbers, a deferred reason, the schedule. */
    private String whyNot(TriggerState s) {
        StringBuilder why = new StringBuilder();
        if (s.d0 == 0) {
            why.append(String.format("the first training waits for %d committed rows, %d so far", config.rowsNeeded(0),
                    s.deltaD));
        } else {
            why.append(String.format("ΔD = %d rows since the last training, %d needed (θ = %s of D0 = %d)", s.deltaD,
                    config.rowsNeeded(s.d0), config.theta(), s.d0));
        }
        if (s.pending != null) {
            why.append("; a ").append(s.pending).append(" request waits for the minimum interval (")
                    .append(config.minInterval()).append(" after ").append(Instant.ofEpochMilli(s.lastTriggerTime))
                    .append(')');
        }
        why.append(config.schedule() == null || s.nextScheduleAt == TriggerState.NONE ? "; no schedule"
                : "; next schedule " + Instant.ofEpochMilli(s.nextScheduleAt));
        return why.toString();
    }

    @Override
    public void processElement2(RetrainCommand command, Context ctx, Collector<RetrainRequest> out) throws Exception {
        TriggerState s = current();
        long now = Math.max(ctx.timerService().currentWatermark(), s.committedUntil);
        LOG.info("{} retraining of {} requested by {}", command.reason(), command.modelName(), command.requestedBy());
        s.pending = strongest(s.pending, command.reason());
        decide(s, now, ctx, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RetrainRequest> out) throws Exception {
        TriggerState s = current();
        if (config.schedule() != null && timestamp == s.nextScheduleAt) {
            s.pending = strongest(s.pending, RetrainReason.SCHEDULE);
            s.nextScheduleAt = config.schedule().nextAfter(timestamp);
            ctx.timerService().registerEventTimeTimer(s.nextScheduleAt);
        }
        decide(s, timestamp, ctx, out);
    }

    private void decide(TriggerState s, long now, Context ctx, Collector<RetrainRequest> out) throws Exception {
        if (s.pending != null) {
            fireOrDefer(s, now, ctx, out);
        }
        state.update(s);
        lastD0 = s.d0;
        lastDeltaD = s.deltaD;
        lastRowsNeeded = config.rowsNeeded(s.d0);
        lastNextSchedule = s.nextScheduleAt == TriggerState.NONE ? 0 : s.nextScheduleAt;
        lastDataSinceRequest = s.dataFrom == TriggerState.NONE ? 0 : Math.max(0, s.committedUntil - since(s));
    }

    private void fireOrDefer(TriggerState s, long now, Context ctx, Collector<RetrainRequest> out) {
        String model = ctx.getCurrentKey();
        if (s.deltaD == 0) {
            LOG.info("{} retraining of {} not requested: no committed rows since the last request", s.pending, model);
            s.pending = null;
            return;
        }
        if (s.d0 == 0 && s.pending == RetrainReason.SCHEDULE && s.deltaD < config.minInitialRows()) {
            // no model yet: the calendar alone does not start a first training on too little history
            LOG.info("{} retraining of {} not requested: the first training waits for {} rows, {} committed",
                    s.pending, model, config.minInitialRows(), s.deltaD);
            s.pending = null;
            return;
        }
        long allowedAt = s.lastTriggerTime == TriggerState.NONE
                ? Long.MIN_VALUE : s.lastTriggerTime + config.minInterval().toMillis();
        if (s.pending != RetrainReason.MANUAL && now < allowedAt) {
            suppressed.inc();
            LOG.info("{} retraining of {} deferred to {} (minimum interval)", s.pending, model,
                    Instant.ofEpochMilli(allowedAt));
            ctx.timerService().registerEventTimeTimer(allowedAt);
            return;
        }
        RetrainRequest request = new RetrainRequest(requestId(model, s.dataFrom, s.committedUntil), model, s.pending,
                s.dataFrom, s.committedUntil, s.d0, s.deltaD, now);
        LOG.info("Retraining requested: {}", request);
        out.collect(request);
        requests.get(s.pending).inc();
        s.d0 += s.deltaD;
        s.deltaD = 0;
        s.lastTriggerTime = now;
        s.pending = null;
        s.stall = stallGate.resolve(s.stall, model, null, 0, now, "retraining of " + model + " requested ("
                + request.reason() + ")", alarm -> ctx.output(ALARMS, alarm));
    }

    /** Stable for the same model and data, so launchers can be idempotent on it. */
    public static String requestId(String model, long dataFrom, long dataTo) {
        return model + ":" + Instant.ofEpochMilli(dataFrom) + "/" + Instant.ofEpochMilli(dataTo);
    }

    private void scheduleIfUnset(TriggerState s, long now, Context ctx) {
        if (config.schedule() != null && s.nextScheduleAt == TriggerState.NONE) {
            s.nextScheduleAt = config.schedule().nextAfter(now);
            ctx.timerService().registerEventTimeTimer(s.nextScheduleAt);
        }
    }

    private TriggerState current() throws Exception {
        TriggerState s = state.value();
        return s != null ? s : new TriggerState();
    }

    private static RetrainReason strongest(RetrainReason pending, RetrainReason reason) {
        if (pending == null) {
            return reason;
        }
        return priority(reason) > priority(pending) ? reason : pending;
    }

    private static int priority(RetrainReason reason) {
        return switch (reason) {
            case MANUAL -> 3;
            case VOLUME, DRIFT -> 2;
            case SCHEDULE -> 1;
        };
    }
}
