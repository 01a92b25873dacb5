package io.imlma.common.features;

import io.imlma.common.types.FeatureRow;
import java.util.function.Consumer;

/**
 * Where one meter's feature rows stand, and the rules that make them — the one implementation behind the streaming
 * job's rows and the experiments' (EttCsv): the start of the next interval the meter owes a row for, the running
 * mean of its observed interval means (imputed rows carry it) and its {@link RunningStatistics} (the z-score).
 *
 * <p>Rows are gap-free from the meter's first observed interval on: an interval without readings gets a row whose
 * mean, min and max are the running mean and whose count is 0 (imputed). An observed interval first updates the
 * statistics, then is scored, so row k is scored against intervals 1..k; imputed rows are scored but do not update
 * the statistics (their value is the running mean itself, and counting it would shrink the variance towards zero
 * for every interval a meter is silent). Rows are warm-up while fewer than the warm-up intervals have been observed.
 */
public final class MeterFeatures {
    /** {@link #nextStart()} of a meter that has no row yet. */
    public static final long NOT_STARTED = Long.MIN_VALUE;

    private long nextStart = NOT_STARTED;
    /** Kept beside the Welford mean so imputed values are the plain arithmetic mean, as they always were. */
    private double sumOfMeans;
    private final RunningStatistics statistics;

    public MeterFeatures() {
        this.statistics = new RunningStatistics();
    }

    /** Restores a meter's position written out earlier (e.g. by a state serializer). */
    public MeterFeatures(long nextStart, double sumOfMeans, RunningStatistics statistics) {
        this.nextStart = nextStart;
        this.sumOfMeans = sumOfMeans;
        this.statistics = statistics;
    }

    /**
     * Emits the row of an observed interval, after imputed rows for every interval missing between the last row
     * and it.
     *
     * @param start start of the interval; not before {@link #nextStart()}
     * @return the imputed rows emitted before it
     */
    public int observe(String meterId, long start, IntervalAccumulator readings, FeatureSettings settings,
            Consumer<FeatureRow> out) {
        if (started() && start < nextStart) {
            throw new IllegalArgumentException("interval " + start + " of " + meterId
                    + " is before the next one owed, " + nextStart + ": rows are emitted once, in time order");
        }
        int imputed = imputeUntil(meterId, start, settings, out);
        double mean = readings.mean();
        statistics.add(mean);
        sumOfMeans += mean;
        out.accept(new FeatureRow(meterId, start, start + settings.intervalMillis(), mean, readings.min(),
                readings.max(), readings.count(), statistics.zScore(mean), false,
                statistics.count() < settings.warmUpIntervals(), readings.maxIngestTime()));
        nextStart = start + settings.intervalMillis();
        return imputed;
    }

    /**
     * Emits imputed rows for the intervals from {@link #nextStart()} up to {@code until} (exclusive); nothing
     * before the meter's first observed interval.
     *
     * @return the rows emitted
     */
    public int imputeUntil(String meterId, long until, FeatureSettings settings, Consumer<FeatureRow> out) {
        if (!started()) {
            return 0;
        }
        int rows = 0;
        double mean = sumOfMeans / statistics.count();
        for (; nextStart < until; nextStart += settings.intervalMillis()) {
            out.accept(new FeatureRow(meterId, nextStart, nextStart + settings.intervalMillis(), mean, mean, mean, 0,
                    statistics.zScore(mean), true, statistics.count() < settings.warmUpIntervals(), 0));
            rows++;
        }
        return rows;
    }

    /** Whether the meter has had a row. */
    public boolean started() {
        return nextStart != NOT_STARTED;
    }

    /** Start of the next interval this meter owes a row for; {@link #NOT_STARTED} before its first. */
    public long nextStart() {
        return nextStart;
    }

    public double sumOfMeans() {
        return sumOfMeans;
    }

    public RunningStatistics statistics() {
        return statistics;
    }
}
