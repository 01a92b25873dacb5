package io.imlma.ml.model;

/**
 * The Adam optimizer (Kingma and Ba, 2015; β₁ 0.9, β₂ 0.999, ε 1e-8) over one flat parameter vector, with L2 weight
 * decay on the parameters a mask marks (weights, not biases). One instance per training run: it keeps the moment
 * estimates between steps.
 */
public final class Adam {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private final double learningRate;
    private final double l2;
    private final boolean[] decayed;
    private final double[] m;
    private final double[] v;
    private long step;

    /** @param decayed which parameters get the L2 penalty {@code l2 · θ²} */
    public Adam(double learningRate, double l2, boolean[] decayed) {
        this.learningRate = learningRate;
        this.l2 = l2;
        this.decayed = decayed;
        this.m = new double[decayed.length];
        this.v = new double[decayed.length];
    }

    /** One step on {@code theta} for the loss gradient {@code gradientScale · gradient} (plus the L2 term). */
    public void step(double[] theta, double[] gradient, double gradientScale) {
        step++;
        double correction1 = 1 - Math.pow(BETA1, step);
        double correction2 = 1 - Math.pow(BETA2, step);
        for (int i = 0; i < theta.length; i++) {
            double g = gradientScale * gradient[i] + (decayed[i] ? 2 * l2 * theta[i] : 0.0);
            m[i] = BETA1 * m[i] + (1 - BETA1) * g;
            v[i] = BETA2 * v[i] + (1 - BETA2) * g * g;
            theta[i] -= learningRate * (m[i] / correction1) / (Math.sqrt(v[i] / correction2) + EPSILON);
        }
    }
}
