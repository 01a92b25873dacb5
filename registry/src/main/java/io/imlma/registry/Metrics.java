package io.imlma.registry;

/** Test-window metrics of a model version: mean squared error, mean absolute error, coefficient of determination. */
public record Metrics(double mse, double mae, double r2) {
    public Metrics {
        // MySQL cannot store NaN or infinities, and a version without real metrics cannot be compared
        requireFinite("mse", mse);
        requireFinite("mae", mae);
        requireFinite("r2", r2);
    }

    private static void requireFinite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number, got " + value);
        }
    }
}
