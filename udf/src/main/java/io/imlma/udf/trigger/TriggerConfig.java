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
 */
public record TriggerConfig(double theta, long minInitialRows, Duration minInterval, TriggerSchedule schedule)
        implements Serializable {

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
    }

    public boolean volumeDue(long d0, long deltaD) {
        return d0 == 0 ? deltaD >= minInitialRows : deltaD > theta * d0;
    }
}
