package io.imlma.ml.horizon;

/**
 * Fits a {@link HorizonModel} on training windows (fit → model, as {@code model.Estimator} does for one step
 * ahead). The validation windows serve early stopping only, never parameters or statistics.
 */
public interface HorizonEstimator {
    HorizonModel fit(Windows train, Windows validation);
}
