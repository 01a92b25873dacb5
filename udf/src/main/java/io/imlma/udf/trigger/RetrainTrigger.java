package io.imlma.udf.trigger;

import io.imlma.common.integrity.PartitionCommitted;
import io.imlma.common.types.RetrainCommand;
import io.imlma.common.types.RetrainReason;
import io.imlma.common.types.RetrainRequest;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
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
 */
public class RetrainTrigger extends KeyedCoProcessFunction<String, PartitionCommitted, RetrainCommand, RetrainRequest> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RetrainTrigger.class);

    private final TriggerConfig config;

    private transient ValueState<TriggerState> state;
    private transient Map<RetrainReason, Counter> requests;
    private transient Counter suppressed;
    private transient volatile long lastD0;
    private transient volatile long lastDeltaD;

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
        getRuntimeContext().getMetricGroup().gauge("retrainDeltaD", () -> lastDeltaD);
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
        decide(s, now, ctx, out);
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
