package io.imlma.ml.model;

/** {@code y = w·x + b}. */
public record LinearModel(double[] weights, double bias) implements Model {
    @Override
    public double predict(double[] features) {
        if (features.length != weights.length) {
            throw new IllegalArgumentException("expected " + weights.length + " features, got " + features.length);
        }
        double y = bias;
        for (int j = 0; j < weights.length; j++) {
            y += weights[j] * features[j];
        }
        return y;
    }
}
