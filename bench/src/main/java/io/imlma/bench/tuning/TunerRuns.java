package io.imlma.bench.tuning;

import io.imlma.ml.tune.TuningResult;
import java.util.Arrays;
import java.util.List;
import org.hipparchus.stat.descriptive.StreamingStatistics;

/**
 * One tuner's runs on one objective, one per tuner seed, in seed order.
 *
 * @param trials      the budget of every run; a grid may finish before it
 * @param wallSeconds wall time of each run
 */
public record TunerRuns(String tuner, int trials, List<TuningResult> results, double[] wallSeconds) {
    public TunerRuns {
        results = List.copyOf(results);
    }

    /** Best loss after each trial, per seed; a finished grid keeps its best for the trials it did not need. */
    public double[][] curves() {
        return results.stream().map(r -> padded(r.bestLossCurve())).toArray(double[][]::new);
    }

    /** Best loss after trial {@code k} (0-based) over the seeds. */
    public StreamingStatistics bestAfter(int k) {
        StreamingStatistics st = new StreamingStatistics();
        for (double[] curve : curves()) {
            st.addValue(curve[k]);
        }
        return st;
    }

    public StreamingStatistics wallTime() {
        StreamingStatistics st = new StreamingStatistics();
        Arrays.stream(wallSeconds).forEach(st::addValue);
        return st;
    }

    /** The loss of every trial of every run. */
    public double[] losses() {
        return results.stream().flatMap(r -> r.trials().stream()).mapToDouble(t -> t.loss()).toArray();
    }

    private double[] padded(double[] curve) {
        double[] out = Arrays.copyOf(curve, trials);
        Arrays.fill(out, curve.length, trials, curve[curve.length - 1]);
        return out;
    }
}
