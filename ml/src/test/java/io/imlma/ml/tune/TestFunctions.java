package io.imlma.ml.tune;

/** Standard optimization test functions on the unit cube. */
final class TestFunctions {
    /** Global minimum of Branin, reached at three points. */
    static final double BRANIN_MINIMUM = 0.397887;
    /** Forrester et al. (2008): (6x − 2)² sin(12x − 4) on [0, 1], minimum −6.0207 at x ≈ 0.7572. */
    static final double FORRESTER_ARGMIN = 0.75725;

    private TestFunctions() {}

    /** Branin on x1 ∈ [−5, 10], x2 ∈ [0, 15], mapped from the unit square. */
    static double branin(double[] u) {
        double x1 = -5 + 15 * u[0];
        double x2 = 15 * u[1];
        double b = 5.1 / (4 * Math.PI * Math.PI);
        double c = 5 / Math.PI;
        double t = 1 / (8 * Math.PI);
        return Math.pow(x2 - b * x1 * x1 + c * x1 - 6, 2) + 10 * (1 - t) * Math.cos(x1) + 10;
    }

    static double forrester(double x) {
        return Math.pow(6 * x - 2, 2) * Math.sin(12 * x - 4);
    }
}
