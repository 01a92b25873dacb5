package io.imlma.ml.horizon;

/**
 * Per-window normalization of a model's inputs and outputs, so one model serves series of different levels and
 * scales (channel-independent): the model sees {@code (x − shift) / scale} and its output {@code f} becomes the
 * forecast {@code shift + scale · f}.
 */
public enum Normalization {
    /** The values as they are (the plain Linear and DLinear of Zeng et al.). */
    NONE,
    /** Subtract the last input value, add it back (NLinear). */
    LAST,
    /** Subtract the last input value and divide by the window's standard deviation, so a meter's unit does not matter. */
    LAST_SCALED;

    /**
     * Writes the model inputs of a window into {@code z}: the normalized values {@code values[from, from + spec.L)},
     * then the issue time's calendar features if the spec has them. Returns {shift, scale} in {@code shiftScale}.
     */
    public void encode(HorizonSpec spec, double[] values, int from, long issueTime, double[] z, double[] shiftScale) {
        int l = spec.inputLength();
        double shift = this == NONE ? 0.0 : values[from + l - 1];
        double scale = this == LAST_SCALED ? scaleOf(values, from, l) : 1.0;
        double inverse = 1.0 / scale;
        for (int j = 0; j < l; j++) {
            z[j] = (values[from + j] - shift) * inverse;
        }
        if (spec.calendar()) {
            spec.calendarFeatures(issueTime, z, l);
        }
        shiftScale[0] = shift;
        shiftScale[1] = scale;
    }

    private static double scaleOf(double[] values, int from, int length) {
        double mean = 0;
        for (int j = 0; j < length; j++) {
            mean += values[from + j];
        }
        mean /= length;
        double squares = 0;
        for (int j = 0; j < length; j++) {
            double d = values[from + j] - mean;
            squares += d * d;
        }
        double sd = Math.sqrt(squares / length);
        // a flat window (a meter reporting a constant) keeps unit scale instead of dividing by zero
        return sd > 1e-9 * Math.max(1.0, Math.abs(mean)) ? sd : 1.0;
    }
}
