package io.imlma.common.types;

import java.util.Locale;

/**
 * Why a parsed reading was set aside before it reached a meter's state. A dead letter's reason starts with the
 * {@link #label()}, then says the value and the bound it broke.
 */
public enum RejectReason {
    /** NaN or infinite. */
    NOT_FINITE,
    /** Outside the physical bounds of its channel. */
    OUT_OF_BOUNDS,
    /** Far from the meter's own recent readings (median/MAD rule). */
    OUTLIER,
    /** Stamped too far ahead of the input's event time or of the wall clock. */
    CLOCK_SKEW_FUTURE,
    /** Stamped too far behind the input's event time. */
    CLOCK_SKEW_PAST;

    /** E.g. {@code clock skew future}: the start of the dead letter's reason. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** E.g. {@code clock_skew_future}: the metric label. */
    public String metricLabel() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The reason of a dead letter: the label, then the details. */
    public String describe(String details) {
        return label() + ": " + details;
    }
}
