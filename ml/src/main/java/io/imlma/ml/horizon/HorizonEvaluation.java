package io.imlma.ml.horizon;

import io.imlma.ml.eval.Metrics;
import org.hipparchus.stat.descriptive.StreamingStatistics;

/** Forecast errors of a model over windows, averaged over every window and every horizon step, on the windows' own scale. */
public final class HorizonEvaluation {
    private HorizonEvaluation() {}

    /**
     * MSE, MAE and R² (against the mean of all target values) over all {@code windows.size() × H} forecast values;
     * {@code count} is that number. A model may read fewer inputs than the windows have (a baseline reads one);
     * it reads the last ones.
     */
    public static Metrics of(HorizonModel model, Windows windows) {
        int h = windows.spec().horizon();
        int modelInputs = model.spec().inputLength();
        if (model.spec().horizon() != h || modelInputs > windows.spec().inputLength()) {
            throw new IllegalArgumentException("model " + model.spec() + " cannot forecast windows " + windows.spec());
        }
        if (windows.size() == 0) {
            throw new IllegalArgumentException("no windows to evaluate on");
        }
        double[] forecast = new double[h];
        double squared = 0;
        double absolute = 0;
        double sum = 0;
        double sumSquares = 0;
        for (int w = 0; w < windows.size(); w++) {
            double[] values = windows.series(w).values();
            int issue = windows.issueIndex(w);
            model.forecastInto(values, issue - modelInputs, windows.issueTime(w), forecast);
            for (int k = 0; k < h; k++) {
                double actual = values[issue + k];
                double error = forecast[k] - actual;
                squared += error * error;
                absolute += Math.abs(error);
                sum += actual;
                sumSquares += actual * actual;
            }
        }
        long n = (long) windows.size() * h;
        double total = sumSquares - sum * sum / n;
        return new Metrics((int) Math.min(Integer.MAX_VALUE, n), squared / n, absolute / n,
                total > 0 ? 1 - squared / total : Double.NaN);
    }

    /** Standard deviation of the forecast errors over every window and step, for stability thresholds. */
    public static double residualStd(HorizonModel model, Windows windows) {
        int h = windows.spec().horizon();
        int modelInputs = model.spec().inputLength();
        double[] forecast = new double[h];
        StreamingStatistics errors = new StreamingStatistics();
        for (int w = 0; w < windows.size(); w++) {
            double[] values = windows.series(w).values();
            int issue = windows.issueIndex(w);
            model.forecastInto(values, issue - modelInputs, windows.issueTime(w), forecast);
            for (int k = 0; k < h; k++) {
                errors.addValue(forecast[k] - values[issue + k]);
            }
        }
        return Math.sqrt(errors.getPopulationVariance());
    }
}
