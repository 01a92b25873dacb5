package io.imlma.udf.trigger;

import io.imlma.common.types.RetrainReason;
import io.imlma.udf.monitor.HysteresisState;

/** Per-model state of {@link RetrainTrigger} (a Flink POJO; lives in RocksDB in production). */
public class TriggerState {
    public static final long NONE = Long.MIN_VALUE;

    /** Rows the current (last requested) training uses. */
    public long d0;
    /** Committed rows since. */
    public long deltaD;
    /** Start of the first committed partition. */
    public long dataFrom = NONE;
    /** End of the last committed partition; partitions ending at or before it were counted already. */
    public long committedUntil = NONE;
    /** Event time of the last request. */
    public long lastTriggerTime = NONE;
    /** Next scheduled retraining time. */
    public long nextScheduleAt = NONE;
    /** A reason that fired but is waiting for the minimum interval; {@code null} when nothing is pending. */
    public RetrainReason pending;
    /** The LOOP_STALL condition: data committed without a request for longer than the configured time. */
    public HysteresisState stall = HysteresisState.INITIAL;

    public TriggerState() {}
}
