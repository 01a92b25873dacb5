package io.imlma.registry;

import io.imlma.ml.eval.Metrics;

/** Test-window metrics of a model version: mean squared error, mean absolute error, coefficient of determination. */
public record VersionMetrics(double mse, double mae, double r2) {
    public VersionMetrics {
        // MySQL cannot store NaN or infinities, and a version without real metrics cannot be compared
        requireFinite("mse", mse);
        requireFinite("mae", mae);
        requireFinite("r2", r2);
    }

    /** The metrics of an evaluation on a version's test window, as the registry stores them. */
    public static VersionMetrics of(Metrics evaluated) {
        return new VersionMetrics(evaluated.mse(), evaluated.mae(), evaluated.r2());
    }

    private static void requireFinite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number, got " + value);
        }
    }
}
