package io.imlma.jobs.preprocess.reference;

import io.imlma.common.types.FeatureRow;
import io.imlma.udf.PipelineMetrics;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by meter: z-score of each interval mean against the meter's running mean and (population) standard
 * deviation, kept with Welford's algorithm. An observed interval first updates the statistics, then is scored, so
 * row k is scored against intervals 1..k. A zero standard deviation gives z = 0.
 *
 * <p>Imputed rows (count 0) are scored but do not update the statistics: their value is the running mean itself,
 * and counting it would shrink the variance towards zero for every hour a meter is silent. Rows are flagged
 * warm-up while fewer than {@code warmUpIntervals} intervals have been observed.
 */
public class StandardizeOnline extends KeyedProcessFunction<String, WindowAggregate, FeatureRow> {

    /** Welford's running count, mean and sum of squared deviations. */
    public static class Welford {
        public long count;
        public double mean;
        public double m2;

        void add(double x) {
            count++;
            double delta = x - mean;
            mean += delta / count;
            m2 += delta * (x - mean);
        }

        double zScore(double x) {
            double std = count == 0 ? 0 : Math.sqrt(m2 / count);
            return std > 0 ? (x - mean) / std : 0;
        }
    }

    private final int warmUpIntervals;
    private transient ValueState<Welford> statistics;
    private transient Counter featureRows;

    public StandardizeOnline(int warmUpIntervals) {
        this.warmUpIntervals = warmUpIntervals;
    }

    @Override
    public void open(OpenContext openContext) {
        statistics = getRuntimeContext().getState(new ValueStateDescriptor<>("welford", Welford.class));
        featureRows = getRuntimeContext().getMetricGroup().counter(PipelineMetrics.FEATURE_ROWS);
    }

    @Override
    public void processElement(WindowAggregate w, Context ctx, Collector<FeatureRow> out) throws Exception {
        Welford stats = statistics.value();
        if (stats == null) {
            stats = new Welford();
        }
        boolean imputed = w.count() == 0;
        if (!imputed) {
            stats.add(w.mean());
            statistics.update(stats);
        }
        out.collect(new FeatureRow(w.meterId(), w.windowStart(), w.windowEnd(), w.mean(), w.min(), w.max(),
                w.count(), stats.zScore(w.mean()), imputed, stats.count < warmUpIntervals, w.maxIngestTime()));
        featureRows.inc();
    }
}
