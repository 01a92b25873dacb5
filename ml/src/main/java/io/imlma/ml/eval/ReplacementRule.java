package io.imlma.ml.eval;

/** When a candidate replaces the champion. */
public enum ReplacementRule {
    /** The paper's rule: MAE_new &lt; MAE_old or R²_new &gt; R²_old. */
    PAPER,
    /** MAE improves by at least a margin and no metric gets worse beyond a tolerance. */
    STRICT,
    /** MSE_new &lt; MSE_old only; for comparison with single-metric replacement. */
    SINGLE_METRIC_MSE
}
