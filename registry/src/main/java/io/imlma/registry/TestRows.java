package io.imlma.registry;

import io.imlma.ml.data.Dataset;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * The rows a version's test metrics were computed on: the pooled test part of its training data (every meter's
 * newest 15 % of targets). {@code firstTarget} and {@code lastTarget} are the start times of the earliest and the
 * latest target interval among them; each meter's part is contiguous, but meters may start theirs at other times.
 *
 * @param count number of test rows (targets), over all meters
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

    /** The rows of a test data set. */
    public static TestRows of(Dataset test) {
        long[] times = test.targetTimes();
        if (times.length == 0) {
            throw new IllegalArgumentException("a test data set without rows has no test rows");
        }
        return new TestRows(Instant.ofEpochMilli(Arrays.stream(times).min().getAsLong()),
                Instant.ofEpochMilli(Arrays.stream(times).max().getAsLong()), times.length);
    }
}
