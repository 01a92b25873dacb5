package io.imlma.udf.preprocess;

import io.imlma.common.features.IntervalAccumulator;

/**
 * An interval of one meter whose end the watermark has not reached: the readings accepted for it so far (deduplicated,
 * in arrival order) and the latest of their ingest times. Count, sum, min and max are computed from the readings when
 * the interval closes, so they are not kept twice.
 */
final class OpenInterval {
    final long start;
    long maxIngestTime;
    /** see {@link SeenReadings} */
    long[] readings;

    OpenInterval(long start, long maxIngestTime, long[] readings) {
        this.start = start;
        this.maxIngestTime = maxIngestTime;
        this.readings = readings;
    }

    OpenInterval(long start) {
        this(start, Long.MIN_VALUE, SeenReadings.NONE);
    }

    void add(long timestamp, double value, long ingestTime) {
        readings = SeenReadings.with(readings, timestamp, value);
        maxIngestTime = Math.max(maxIngestTime, ingestTime);
    }

    /** The interval's statistics, summed in arrival order. */
    IntervalAccumulator aggregate() {
        long count = SeenReadings.size(readings);
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            double value = SeenReadings.value(readings, i);
            sum += value;
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        return new IntervalAccumulator(count, sum, min, max, maxIngestTime);
    }

    OpenInterval copy() {
        return new OpenInterval(start, maxIngestTime, readings.clone());
    }
}
