package io.imlma.udf.preprocess;

import io.imlma.common.types.RejectReason;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.hipparchus.stat.descriptive.rank.Median;

/**
 * The checks a reading passes before it touches a meter's state ({@link PreprocessReadings}): its value is finite,
 * within the physical bounds of its channel, and not an outlier against the meter's own recent readings.
 *
 * <p>The outlier rule is Hampel's: a value is an outlier when it lies more than {@code threshold} robust standard
 * deviations from the median of the meter's last {@code window} in-bounds readings, the deviation being
 * 1.4826 · MAD, but at least {@code minScale} (a meter that held one value for hours has MAD 0, and its next real
 * change is not an error). The rule waits for {@code minHistory} readings. Readings it rejects enter the history
 * too: a lasting change of level is accepted once it holds half the window, instead of locking the meter out.
 *
 * @param channelBounds bounds by channel, the part of the meter id after its last {@code /} ({@code ETTm1/OT} → OT)
 * @param defaultBounds bounds of any other channel
 * @param outliers      the robust outlier rule
 */
public record Plausibility(Map<String, Bounds> channelBounds, Bounds defaultBounds, OutlierRule outliers)
        implements Serializable {
    /** 1 / Φ⁻¹(3/4): MAD times this estimates the standard deviation of normal data. */
    private static final double MAD_TO_SIGMA = 1.4826;

    /** Physical limits of the ETT transformer channels, generous: loads in MW, oil temperature in °C. */
    public static final String ETT_BOUNDS = "HUFL=-1000..1000,HULL=-1000..1000,MUFL=-1000..1000,MULL=-1000..1000,"
            + "LUFL=-1000..1000,LULL=-1000..1000,OT=-60..150";
    public static final Bounds DEFAULT_BOUNDS = new Bounds(-1e6, 1e6);
    /**
     * On ETTm1 the largest robust deviation of a real reading against its previous 48 is 29 (a load switching
     * between levels, HUFL and MUFL) with minScale 1, so 40 keeps every real reading and still rejects gross errors.
     */
    public static final OutlierRule DEFAULT_OUTLIERS = new OutlierRule(true, 48, 24, 40, 1.0);
    public static final Plausibility DEFAULTS =
            new Plausibility(parseBounds(ETT_BOUNDS), DEFAULT_BOUNDS, DEFAULT_OUTLIERS);

    public Plausibility {
        channelBounds = Collections.unmodifiableMap(new LinkedHashMap<>(channelBounds));
    }

    /** Inclusive bounds of a channel's values. */
    public record Bounds(double min, double max) implements Serializable {
        public Bounds {
            if (!(min <= max) || !Double.isFinite(min) || !Double.isFinite(max)) {
                throw new IllegalArgumentException("bounds must be finite with min <= max, got " + min + ".." + max);
            }
        }

        /** {@code -60..150} */
        public static Bounds parse(String text) {
            int dots = text.indexOf("..");
            if (dots < 0) {
                throw new IllegalArgumentException("expected min..max, got '" + text + "'");
            }
            return new Bounds(Double.parseDouble(text.substring(0, dots).trim()),
                    Double.parseDouble(text.substring(dots + 2).trim()));
        }

        boolean contains(double value) {
            return value >= min && value <= max;
        }

        @Override
        public String toString() {
            return min + ".." + max;
        }
    }

    /**
     * @param enabled    off: only finiteness and bounds are checked, and no history is kept
     * @param window     in-bounds readings of the meter the median and MAD are taken over
     * @param minHistory readings the rule waits for before it applies
     * @param threshold  robust standard deviations from the median beyond which a value is an outlier
     * @param minScale   the least robust standard deviation, in the channel's unit
     */
    public record OutlierRule(boolean enabled, int window, int minHistory, double threshold, double minScale)
            implements Serializable {
        public OutlierRule {
            if (window < 1 || minHistory < 1 || minHistory > window || !(threshold > 0) || !(minScale > 0)) {
                throw new IllegalArgumentException("outlier rule needs 1 <= minHistory <= window and a positive"
                        + " threshold and scale, got " + window + ", " + minHistory + ", " + threshold + ", "
                        + minScale);
            }
        }
    }

    /** {@code HUFL=-1000..1000,OT=-60..150}: bounds by channel. */
    public static Map<String, Bounds> parseBounds(String text) {
        Map<String, Bounds> bounds = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected channel=min..max, got '" + entry.trim() + "'");
            }
            String channel = entry.substring(0, eq).trim();
            if (bounds.put(channel, Bounds.parse(entry.substring(eq + 1))) != null) {
                throw new IllegalArgumentException("channel " + channel + " is given twice");
            }
        }
        return bounds;
    }

    /** A reading set aside, and why. */
    public record Rejection(RejectReason reason, String details) {
        public String message() {
            return reason.describe(details);
        }
    }

    /** The bounds of a meter's channel. */
    public Bounds bounds(String meterId) {
        return channelBounds.getOrDefault(meterId.substring(meterId.lastIndexOf('/') + 1), defaultBounds);
    }

    /** Checks that need no history: null when the value is finite and within its channel's bounds. */
    public Rejection checkValue(String meterId, double value) {
        if (!Double.isFinite(value)) {
            return new Rejection(RejectReason.NOT_FINITE, "value " + value);
        }
        Bounds bounds = bounds(meterId);
        if (!bounds.contains(value)) {
            return new Rejection(RejectReason.OUT_OF_BOUNDS, "value " + value + " outside " + bounds);
        }
        return null;
    }

    /** The outlier rule against the meter's recent in-bounds values: null when {@code value} is not an outlier. */
    public Rejection checkOutlier(double value, double[] recent) {
        if (!outliers.enabled() || recent.length < outliers.minHistory()) {
            return null;
        }
        Median median = new Median();
        double m = median.evaluate(recent);
        double[] deviations = new double[recent.length];
        for (int i = 0; i < recent.length; i++) {
            deviations[i] = Math.abs(recent[i] - m);
        }
        double scale = Math.max(MAD_TO_SIGMA * median.evaluate(deviations), outliers.minScale());
        double distance = Math.abs(value - m) / scale;
        if (distance <= outliers.threshold()) {
            return null;
        }
        return new Rejection(RejectReason.OUTLIER, String.format(Locale.ROOT,
                "value %s is %.1f robust deviations from the median %s of the meter's last %d readings (bound %s)",
                value, distance, m, recent.length, outliers.threshold()));
    }

    /** {@code recent} with {@code value} appended, keeping the last {@code window}; unchanged when the rule is off. */
    public double[] remember(double[] recent, double value) {
        if (!outliers.enabled()) {
            return recent;
        }
        int keep = Math.min(recent.length, outliers.window() - 1);
        double[] next = Arrays.copyOfRange(recent, recent.length - keep, recent.length + 1);
        next[keep] = value;
        return next;
    }
}
