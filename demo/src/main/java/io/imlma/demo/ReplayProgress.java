package io.imlma.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Where a replay stands, from the event time the preprocessing has reached (its input watermark): the date, the
 * share of the input, the pace in rows per second of wall time since the replay started, and the time left at that
 * pace.
 */
record ReplayProgress(long eventTime, double fraction, double rowsPerSecond, Duration remaining) {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    /** @param elapsed wall time since the replay started */
    static ReplayProgress of(ReplaySpan span, long watermark, Duration elapsed) {
        double fraction = span.fraction(watermark);
        if (fraction >= 1) {
            return new ReplayProgress(span.lastTime(), 1, span.rows() / Math.max(elapsed.toMillis() / 1000.0, 0.001),
                    Duration.ZERO);
        }
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        double rowsPerSecond = fraction * span.rows() / seconds;
        Duration remaining = fraction <= 0 ? null
                : Duration.ofSeconds(Math.round(seconds * (1 - fraction) / fraction));
        return new ReplayProgress(watermark, fraction, rowsPerSecond, remaining);
    }

    /** {@code replayed 2016-09-18 (11 % · 5.2k rows/s · ETA 8 min)}, or {@code replay done: 2018-06-26 (100 %)}. */
    String describe() {
        if (fraction >= 1) {
            return "replay done: " + DAY.format(Instant.ofEpochMilli(eventTime)) + " (100 %)";
        }
        String eta = remaining == null ? "" : " · ETA " + duration(remaining);
        return String.format(Locale.ROOT, "replayed %s (%d %% · %s rows/s%s)", DAY.format(Instant.ofEpochMilli(eventTime)),
                Math.round(fraction * 100), count(rowsPerSecond), eta);
    }

    static String count(double value) {
        return value >= 10_000 ? String.format(Locale.ROOT, "%.0fk", value / 1000)
                : value >= 1000 ? String.format(Locale.ROOT, "%.1fk", value / 1000)
                : String.format(Locale.ROOT, "%.0f", value);
    }

    static String duration(Duration d) {
        long s = d.toSeconds();
        return s < 60 ? s + " s" : s < 3600 ? Math.round(s / 60.0) + " min"
                : String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }
}
