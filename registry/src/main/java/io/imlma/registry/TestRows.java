package io.imlma.registry;

import io.imlma.ml.horizon.Windows;
import java.time.Instant;
import java.util.Objects;

/**
 * The forecasts a version's test metrics were computed on: the pooled test windows of its training data (every
 * meter's newest 15 % of intervals). {@code firstTarget} and {@code lastTarget} are the start times of the earliest
 * and the latest target interval among them; each meter's part is contiguous, but meters may start theirs at other
 * times.
 *
 * @param count number of test forecasts (windows, each of H target intervals), over all meters
 */
public record TestRows(Instant firstTarget, Instant lastTarget, int count) {
    public TestRows {
        Objects.requireNonNull(firstTarget, "firstTarget");
        Objects.requireNonNull(lastTarget, "lastTarget");
        if (count < 1) {
            throw new IllegalArgumentException("test rows need at least one row, got " + count);
        }
        if (lastTarget.isBefore(firstTarget)) {
            throw new IllegalArgumentException("lastTarget " + lastTarget + " is before firstTarget " + firstTarget);
        }
    }

    /** The forecasts of a set of test windows. */
    public static TestRows of(Windows test) {
        if (test.size() == 0) {
            throw new IllegalArgumentException("test windows without a window have no test rows");
        }
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        int lastStep = test.spec().horizon() - 1;
        for (int w = 0; w < test.size(); w++) {
            first = Math.min(first, test.issueTime(w));
            last = Math.max(last, test.series(w).startOf(test.issueIndex(w) + lastStep));
        }
        return new TestRows(Instant.ofEpochMilli(first), Instant.ofEpochMilli(last), test.size());
    }
}
