package io.imlma.ml.model;

/** One hidden tanh layer and a linear output: {@code y = w2·tanh(W1 x + b1) + b2}. */
public record MlpModel(double[][] hiddenWeights, double[] hiddenBiases, double[] outputWeights, double outputBias)
        implements Model {

    @Override
    public double predict(double[] features) {
        double y = outputBias;
        for (int h = 0; h < hiddenBiases.length; h++) {
            y += outputWeights[h] * Math.tanh(preActivation(h, features));
        }
        return y;
    }

    double preActivation(int unit, double[] features) {
        double[] w = hiddenWeights[unit];
        if (features.length != w.length) {
            throw new IllegalArgumentException("expected " + w.length + " features, got " + features.length);
        }
        double a = hiddenBiases[unit];
        for (int j = 0; j < w.length; j++) {
            a += w[j] * features[j];
        }
        return a;
    }
}
