package io.imlma.common.features;

import java.io.Serializable;
import java.time.Duration;

/**
 * How readings become feature rows, shared by the streaming job and the experiments.
 *
 * @param intervalMillis  length of an interval (a tumbling window), milliseconds
 * @param warmUpIntervals observed intervals a meter needs before its z-scores are trusted
 */
public record FeatureSettings(long intervalMillis, int warmUpIntervals) implements Serializable {
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(15);
    /** One day of 15-minute intervals. */
    public static final int DEFAULT_WARM_UP_INTERVALS = 96;
    public static final FeatureSettings DEFAULTS =
            new FeatureSettings(DEFAULT_INTERVAL.toMillis(), DEFAULT_WARM_UP_INTERVALS);

    public FeatureSettings {
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("interval must be positive, got " + intervalMillis + " ms");
        }
        if (warmUpIntervals < 1) {
            throw new IllegalArgumentException("warm-up must be at least 1 interval, got " + warmUpIntervals);
        }
    }

    public FeatureSettings(Duration interval, int warmUpIntervals) {
        this(interval.toMillis(), warmUpIntervals);
    }

    /** Start of the interval holding {@code timestamp} (aligned to the epoch, as Flink's tumbling windows). */
    public long intervalStart(long timestamp) {
        return timestamp - Math.floorMod(timestamp, intervalMillis);
    }
}
