package io.imlma.ml.tune;

/**
 * One tunable hyperparameter, mapped to the unit interval the tuners work in: linearly or logarithmically
 * between {@code low} and {@code high}, rounded to an integer if {@code integer}.
 */
public record Dimension(String name, double low, double high, boolean logScale, boolean integer) {

    public Dimension {
        if (!(low < high) || (logScale && low <= 0)) {
            throw new IllegalArgumentException("bad range for " + name + ": [" + low + ", " + high + "]"
                    + (logScale ? " on a log scale" : ""));
        }
    }

    public static Dimension linear(String name, double low, double high) {
        return new Dimension(name, low, high, false, false);
    }

    public static Dimension log(String name, double low, double high) {
        return new Dimension(name, low, high, true, false);
    }

    public static Dimension logInteger(String name, int low, int high) {
        return new Dimension(name, low, high, true, true);
    }

    public static Dimension integer(String name, int low, int high) {
        return new Dimension(name, low, high, false, true);
    }

    /** The value at unit coordinate {@code u} (clamped to [0, 1]). */
    public double value(double u) {
        double t = Math.min(1, Math.max(0, u));
        double v = logScale
                ? Math.exp(Math.log(low) + t * (Math.log(high) - Math.log(low)))
                : low + t * (high - low);
        return integer ? Math.min(high, Math.max(low, Math.round(v))) : v;
    }

    /** The unit coordinate of {@code value}. */
    public double unit(double value) {
        double t = logScale
                ? (Math.log(value) - Math.log(low)) / (Math.log(high) - Math.log(low))
                : (value - low) / (high - low);
        return Math.min(1, Math.max(0, t));
    }
}
