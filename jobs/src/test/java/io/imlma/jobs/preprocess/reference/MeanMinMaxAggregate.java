package io.imlma.jobs.preprocess.reference;

import io.imlma.common.types.MeterReading;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Incremental count, sum, min, max and latest ingest time of the readings in one window. */
public class MeanMinMaxAggregate implements AggregateFunction<MeterReading, MeanMinMaxAggregate.Accumulator,
        MeanMinMaxAggregate.Accumulator> {

    /** Mutable accumulator (a POJO so Flink serializes it without Kryo). */
    public static class Accumulator {
        public long count;
        public double sum;
        public double min = Double.POSITIVE_INFINITY;
        public double max = Double.NEGATIVE_INFINITY;
        public long maxIngestTime = Long.MIN_VALUE;

        public double mean() {
            return sum / count;
        }
    }

    @Override
    public Accumulator createAccumulator() {
        return new Accumulator();
    }

    @Override
    public Accumulator add(MeterReading reading, Accumulator acc) {
        acc.count++;
        acc.sum += reading.value();
        acc.min = Math.min(acc.min, reading.value());
        acc.max = Math.max(acc.max, reading.value());
        acc.maxIngestTime = Math.max(acc.maxIngestTime, reading.ingestTime());
        return acc;
    }

    @Override
    public Accumulator getResult(Accumulator acc) {
        return acc;
    }

    @Override
    public Accumulator merge(Accumulator a, Accumulator b) {
        a.count += b.count;
        a.sum += b.sum;
        a.min = Math.min(a.min, b.min);
        a.max = Math.max(a.max, b.max);
        a.maxIngestTime = Math.max(a.maxIngestTime, b.maxIngestTime);
        return a;
    }
}
