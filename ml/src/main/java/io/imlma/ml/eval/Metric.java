package io.imlma.ml.eval;

/** The evaluation metrics and which direction is better. */
public enum Metric {
    MSE(false),
    MAE(false),
    R2(true);

    private final boolean higherIsBetter;

    Metric(boolean higherIsBetter) {
        this.higherIsBetter = higherIsBetter;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }
}
