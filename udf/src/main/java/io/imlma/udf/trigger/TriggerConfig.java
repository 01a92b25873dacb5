package io.imlma.udf.trigger;

import java.io.Serializable;
import java.time.Duration;

/**
 * When {@link RetrainTrigger} fires.
 *
 * @param theta          volume threshold: fire when ΔD &gt; θ·D0 (paper: 10 %)
 * @param minInitialRows the first training (D0 = 0) waits for at least this many committed rows
 * @param minInterval    no automatic request sooner than this after the previous one (event time); later ones wait
 * @param schedule       weekly schedule, or {@code null} for none
 * @param stallAfter     a LOOP_STALL alarm when data is committed but no request fired for longer than this (data
 *                       time, since the last request or the first data); zero for none
 */
public record TriggerConfig(double theta, long minInitialRows, Duration minInterval, TriggerSchedule schedule,
                            Duration stallAfter) implements Serializable {

    /** Without stall alarms. */
    public TriggerConfig(double theta, long minInitialRows, Duration minInterval, TriggerSchedule schedule) {
        this(theta, minInitialRows, minInterval, schedule, Duration.ZERO);
    }

    public TriggerConfig {
        if (!(theta > 0) || !Double.isFinite(theta)) {
            throw new IllegalArgumentException("theta must be a positive number, got " + theta);
        }
        if (minInitialRows < 1) {
            throw new IllegalArgumentException("minInitialRows must be at least 1, got " + minInitialRows);
        }
        if (minInterval.isNegative()) {
            throw new IllegalArgumentException("minInterval must not be negative, got " + minInterval);
        }
        if (stallAfter.isNegative()) {
            throw new IllegalArgumentException("stallAfter must not be negative, got " + stallAfter);
        }
    }

    /** Committed rows since the last training that make the volume due: more than θ·D0, or the first minimum. */
    public long rowsNeeded(long d0) {
        return d0 == 0 ? minInitialRows : (long) Math.floor(theta * d0) + 1;
    }

    public boolean volumeDue(long d0, long deltaD) {
        return d0 == 0 ? deltaD >= minInitialRows : deltaD > theta * d0;
    }
}
