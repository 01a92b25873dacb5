package io.imlma.ml.tune;

import java.util.Comparator;
import java.util.List;

/** Every trial of a tuning run in evaluation order, and whether it stopped before its budget. */
public record TuningResult(List<TrialRecord> trials, boolean stoppedEarly) {
    public TuningResult {
        trials = List.copyOf(trials);
    }

    public TrialRecord best() {
        return trials.stream()
                .filter(t -> Double.isFinite(t.loss()))
                .min(Comparator.comparingDouble(TrialRecord::loss))
                .orElseThrow(() -> new IllegalStateException("no trial with a finite loss"));
    }

    /** Best loss after 1, 2, … trials. */
    public double[] bestLossCurve() {
        double[] curve = new double[trials.size()];
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < curve.length; i++) {
            double loss = trials.get(i).loss();
            if (Double.isFinite(loss)) {
                best = Math.min(best, loss);
            }
            curve[i] = best;
        }
        return curve;
    }
}
