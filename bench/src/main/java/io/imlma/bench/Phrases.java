package io.imlma.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.DoubleFunction;

/** Pieces of the readings, computed from the measured values so that the text cannot go stale. */
final class Phrases {
    private Phrases() {}

    /** The value, or "min–max" when the values print differently; "n/a" without values. */
    static String range(double[] values, DoubleFunction<String> format) {
        double[] known = Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
        if (known.length == 0) {
            return "n/a";
        }
        String low = format.apply(Arrays.stream(known).min().getAsDouble());
        String high = format.apply(Arrays.stream(known).max().getAsDouble());
        return low.equals(high) ? low : low.replace(" %", "") + "–" + high;
    }

    /** "12.3 % lower" / "4.0 % higher" / "equal": {@code value} against {@code reference}. */
    static String relative(double value, double reference) {
        double change = (value - reference) / Math.abs(reference);
        if (Math.abs(change) < 0.0005) {
            return "equal";
        }
        return MarkdownTable.percent(Math.abs(change)) + (change < 0 ? " lower" : " higher");
    }

    /** "12.3 % lower than {@code what}" / "equal to {@code what}". */
    static String versus(double value, double reference, String what) {
        String relative = relative(value, reference);
        return relative + (relative.equals("equal") ? " to " : " than ") + what;
    }

    /** "better" or "worse" (or "the same"), where lower values are better when {@code lowerIsBetter}. */
    static String verdict(double value, double reference, boolean lowerIsBetter) {
        if (value == reference) {
            return "the same";
        }
        return (value < reference) == lowerIsBetter ? "better" : "worse";
    }

    /** A duration given in seconds: "45 ms", "4.6 s" or "12 s". */
    static String seconds(double s) {
        if (s < 1) {
            return String.format(Locale.ROOT, "%.0f ms", 1000 * s);
        }
        return String.format(Locale.ROOT, s < 10 ? "%.1f s" : "%.0f s", s);
    }

    /** A latency in ms, without spurious digits. */
    static String millis(double ms) {
        return String.format(Locale.ROOT, ms < 10 ? "%.1f ms" : "%.0f ms", ms);
    }

    static String number(String pattern, double value) {
        return String.format(Locale.ROOT, pattern, value);
    }
}
