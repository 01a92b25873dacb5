package io.imlma.common.features;

/** Count, sum, min, max and latest ingest time of the readings of one meter in one interval. */
public final class IntervalAccumulator {
    private long count;
    private double sum;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private long maxIngestTime = Long.MIN_VALUE;

    public IntervalAccumulator() {}

    /** Restores an accumulator written out earlier (e.g. by a state serializer). */
    public IntervalAccumulator(long count, double sum, double min, double max, long maxIngestTime) {
        this.count = count;
        this.sum = sum;
        this.min = min;
        this.max = max;
        this.maxIngestTime = maxIngestTime;
    }

    public void add(double value, long ingestTime) {
        count++;
        sum += value;
        min = Math.min(min, value);
        max = Math.max(max, value);
        maxIngestTime = Math.max(maxIngestTime, ingestTime);
    }

    public double mean() {
        return sum / count;
    }

    public long count() {
        return count;
    }

    public double sum() {
        return sum;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    public long maxIngestTime() {
        return maxIngestTime;
    }
}
