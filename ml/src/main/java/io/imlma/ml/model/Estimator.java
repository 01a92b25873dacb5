package io.imlma.ml.model;

import io.imlma.ml.data.Dataset;

/**
 * Fits a {@link Model}, in the spirit of Flink ML's {@code Estimator.fit → Model}. The validation part is used
 * only for early stopping, never for fitting parameters or scaling statistics.
 */
public interface Estimator {
    Model fit(Dataset train, Dataset validation);
}
