package io.imlma.ml.model;

/**
 * Tracks validation loss per epoch: says when the loss has not improved for {@code patience} epochs or has
 * become non-finite (a learning rate too large makes training diverge; the best earlier state is kept).
 */
public final class EarlyStopping {
    private final int patience;
    private double best = Double.POSITIVE_INFINITY;
    private int epochsSinceBest;

    public EarlyStopping(int patience) {
        this.patience = patience;
    }

    /** Records this epoch's loss; true when it is the best so far (the caller keeps a copy of the parameters). */
    public boolean improved(double loss) {
        if (Double.isFinite(loss) && loss < best) {
            best = loss;
            epochsSinceBest = 0;
            return true;
        }
        epochsSinceBest = Double.isFinite(loss) ? epochsSinceBest + 1 : patience;
        return false;
    }

    public boolean shouldStop() {
        return epochsSinceBest >= patience;
    }
}
