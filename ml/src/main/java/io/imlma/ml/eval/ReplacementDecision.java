package io.imlma.ml.eval;

import java.util.List;

/**
 * Whether the candidate replaces the champion, and why.
 *
 * @param change candidate against champion; null when there was no champion
 */
public record ReplacementDecision(boolean replace, ReplacementRule rule, List<String> reasons, MetricChange change) {
    public ReplacementDecision {
        reasons = List.copyOf(reasons);
    }
}
