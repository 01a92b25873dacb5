package io.imlma.ml.eval;

import io.imlma.ml.data.Dataset;
import io.imlma.ml.model.Model;

/**
 * Forecast quality on a set of rows, on the targets' own scale.
 *
 * @param mse mean squared error
 * @param mae mean absolute error
 * @param r2  coefficient of determination, 1 − SSE/SST (NaN when all targets are equal)
 */
public record Metrics(int count, double mse, double mae, double r2) {

    public static Metrics of(double[] actual, double[] predicted) {
        if (actual.length != predicted.length || actual.length == 0) {
            throw new IllegalArgumentException("need equally many actual and predicted values, at least one; got "
                    + actual.length + " and " + predicted.length);
        }
        int n = actual.length;
        double mean = 0;
        for (double y : actual) {
            mean += y / n;
        }
        double squared = 0;
        double absolute = 0;
        double total = 0;
        for (int i = 0; i < n; i++) {
            double error = predicted[i] - actual[i];
            squared += error * error;
            absolute += Math.abs(error);
            total += (actual[i] - mean) * (actual[i] - mean);
        }
        double r2 = total > 0 ? 1 - squared / total : Double.NaN;
        return new Metrics(n, squared / n, absolute / n, r2);
    }

    public static Metrics of(Model model, Dataset data) {
        return of(data.targets(), model.predictAll(data.features()));
    }

    public double get(Metric metric) {
        return switch (metric) {
            case MSE -> mse;
            case MAE -> mae;
            case R2 -> r2;
        };
    }
}
