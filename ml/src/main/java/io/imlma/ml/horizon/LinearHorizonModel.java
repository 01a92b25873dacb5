package io.imlma.ml.horizon;

/**
 * One linear map from the normalized inputs to the H outputs: {@code f_h = bias_h + Σ_j z_j · W[j][h]}. The whole
 * linear family is stored this way: Linear ({@link Normalization#NONE}), NLinear ({@link Normalization#LAST}) and
 * DLinear, whose trend and remainder maps fold exactly into one map because the moving average is linear.
 *
 * @param weights d × H, row-major (row j holds input j's weight on every step), d = {@link HorizonSpec#inputFeatures()}
 * @param bias    H intercepts
 */
public record LinearHorizonModel(HorizonSpec spec, Normalization normalization, double[] weights, double[] bias)
        implements HorizonModel {

    public LinearHorizonModel {
        if (weights.length != spec.inputFeatures() * spec.horizon() || bias.length != spec.horizon()) {
            throw new IllegalArgumentException("expected " + spec.inputFeatures() + " × " + spec.horizon()
                    + " weights and " + spec.horizon() + " intercepts, got " + weights.length + " and " + bias.length);
        }
    }

    @Override
    public void forecastInto(double[] values, int from, long issueTime, double[] out) {
        int d = spec.inputFeatures();
        int h = spec.horizon();
        double[] z = new double[d];
        double[] shiftScale = new double[2];
        normalization.encode(spec, values, from, issueTime, z, shiftScale);
        System.arraycopy(bias, 0, out, 0, h);
        for (int j = 0; j < d; j++) {
            double zj = z[j];
            int row = j * h;
            for (int k = 0; k < h; k++) {
                out[k] += zj * weights[row + k];
            }
        }
        for (int k = 0; k < h; k++) {
            out[k] = shiftScale[0] + shiftScale[1] * out[k];
        }
    }
}
