package io.imlma.ml.horizon;

import java.util.List;

/**
 * A feed-forward network on the normalized inputs: ReLU hidden layers, a linear output layer of H units, and
 * optionally a linear skip path: the network then forecasts what the linear model leaves,
 * {@code forecast = skip(x) + scale · network(z)}.
 *
 * @param layers hidden layers then the output layer; each layer's inputs are the previous layer's outputs
 * @param skip   the linear model the network corrects, with the same spec and normalization, or null
 */
public record MlpHorizonModel(HorizonSpec spec, Normalization normalization, List<DenseLayer> layers,
        LinearHorizonModel skip) implements HorizonModel {

    /**
     * @param weights inputs × outputs, row-major (row i holds input i's weight on every output)
     */
    public record DenseLayer(int inputs, int outputs, double[] weights, double[] biases) {
        public DenseLayer {
            if (weights.length != inputs * outputs || biases.length != outputs) {
                throw new IllegalArgumentException("a " + inputs + " × " + outputs + " layer needs as many weights and "
                        + outputs + " biases, got " + weights.length + " and " + biases.length);
            }
        }
    }

    public MlpHorizonModel {
        layers = List.copyOf(layers);
        if (layers.isEmpty() || layers.get(0).inputs() != spec.inputFeatures()
                || layers.get(layers.size() - 1).outputs() != spec.horizon()) {
            throw new IllegalArgumentException("layers must map " + spec.inputFeatures() + " inputs to "
                    + spec.horizon() + " outputs");
        }
        if (skip != null && (!skip.spec().equals(spec) || skip.normalization() != normalization)) {
            throw new IllegalArgumentException("the skip path must have the network's spec and normalization");
        }
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i).inputs() != layers.get(i - 1).outputs()) {
                throw new IllegalArgumentException("layer " + i + " does not fit the layer before it");
            }
        }
    }

    @Override
    public void forecastInto(double[] values, int from, long issueTime, double[] out) {
        double[] shiftScale = new double[2];
        double[] a = new double[spec.inputFeatures()];
        normalization.encode(spec, values, from, issueTime, a, shiftScale);
        for (int l = 0; l < layers.size(); l++) {
            DenseLayer layer = layers.get(l);
            double[] next = layer.biases().clone();
            int n = layer.outputs();
            double[] w = layer.weights();
            for (int i = 0; i < layer.inputs(); i++) {
                double ai = a[i];
                if (ai != 0.0) {
                    int row = i * n;
                    for (int o = 0; o < n; o++) {
                        next[o] += ai * w[row + o];
                    }
                }
            }
            if (l < layers.size() - 1) {
                for (int o = 0; o < n; o++) {
                    next[o] = Math.max(0.0, next[o]);
                }
            }
            a = next;
        }
        if (skip == null) {
            for (int k = 0; k < out.length; k++) {
                out[k] = shiftScale[0] + shiftScale[1] * a[k];
            }
        } else {
            skip.forecastInto(values, from, issueTime, out);
            for (int k = 0; k < out.length; k++) {
                out[k] += shiftScale[1] * a[k];
            }
        }
    }
}
