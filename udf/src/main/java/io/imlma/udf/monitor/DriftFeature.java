package io.imlma.udf.monitor;

import io.imlma.common.types.FeatureRow;

import java.util.Locale;

/** The inputs of the model whose distribution the drift monitor watches. */
public enum DriftFeature {
    /** The online z-score; rows still in warm-up are skipped since their z-score is not trusted. */
    STANDARDIZED,
    /** The raw interval mean. */
    MEAN,
    /** The spread max − min within the interval. */
    RANGE;

    public double of(FeatureRow row) {
        return switch (this) {
            case STANDARDIZED -> row.standardized();
            case MEAN -> row.mean();
            case RANGE -> row.max() - row.min();
        };
    }

    /** Imputed rows carry the running mean, not an observation; warm-up z-scores are not yet meaningful. */
    public boolean accepts(FeatureRow row) {
        return !row.imputed() && !(this == STANDARDIZED && row.warmUp()) && Double.isFinite(of(row));
    }

    /** Name used in settings, references and alarm scopes, e.g. {@code standardized}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
