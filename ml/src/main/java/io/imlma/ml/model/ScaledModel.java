package io.imlma.ml.model;

/** A model trained on standardized data, taking and returning values on the raw scale. */
public record ScaledModel(Scaler scaler, Model inner) implements Model {
    @Override
    public double predict(double[] features) {
        return scaler.unscaleTarget(inner.predict(scaler.scaleFeatures(features)), features);
    }
}
