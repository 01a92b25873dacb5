package io.imlma.ml.tune;

import java.util.List;

/**
 * Ask/tell hyperparameter search. A round proposes several points, which can be evaluated in parallel (e.g. as
 * Flink tasks) and observed in any order; a tuner may be asked for a new round before all results are in.
 */
public interface Tuner {
    String name();

    /** Up to {@code n} new points; fewer (possibly none) when the tuner has nothing left to try. */
    List<TrialPoint> propose(int n);

    /** The loss (lower is better) of a point this tuner proposed. */
    void observe(TrialPoint point, double loss);
}
