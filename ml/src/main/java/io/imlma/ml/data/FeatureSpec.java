package io.imlma.ml.data;

import io.imlma.common.config.Option;
import io.imlma.common.config.Settings;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which features forecast the next interval: the last {@code lags} interval means and, optionally, calendar
 * features of the target interval (time of day and day of week as sine/cosine pairs, so midnight is next to 23:45).
 *
 * @param lags          number of past intervals used as features (lag 1 = the interval just before the target)
 * @param seasonPeriod  intervals in one season, for the seasonal baseline (96 = one day of 15-minute intervals)
 * @param calendar      add time-of-day and day-of-week features
 * @param zone          time zone the calendar is read in
 */
public record FeatureSpec(int lags, int seasonPeriod, boolean calendar, ZoneId zone) {
    public static final int DAY_OF_15_MINUTE_INTERVALS = 96;

    public static final Option<Integer> LAGS = Option.integer("features.lags").defaultValue(DAY_OF_15_MINUTE_INTERVALS)
            .check(n -> n >= 1, "must be at least 1")
            .description("Past interval means used as features (96 = one day of 15-minute intervals).");
    public static final Option<Integer> SEASON_PERIOD = Option.integer("features.season-period")
            .defaultValue(DAY_OF_15_MINUTE_INTERVALS).check(n -> n >= 1, "must be at least 1")
            .description("Intervals in one season, for the seasonal baseline.");
    public static final Option<Boolean> CALENDAR = Option.bool("features.calendar").defaultValue(true)
            .description("Add time-of-day and day-of-week features (sine/cosine pairs) of the (first) forecast interval.");
    public static final Option<String> ZONE = Option.string("features.zone").defaultValue("UTC")
            .check(FeatureSpec::isZone, "unknown time zone").description("Time zone the calendar features are read in.");
    public static final List<Option<?>> OPTIONS = List.of(LAGS, SEASON_PERIOD, CALENDAR, ZONE);

    public FeatureSpec {
        if (lags < 1) {
            throw new IllegalArgumentException("lags must be at least 1, got " + lags);
        }
        if (seasonPeriod < 1) {
            throw new IllegalArgumentException("seasonPeriod must be at least 1, got " + seasonPeriod);
        }
    }

    /** The options' defaults. */
    public static FeatureSpec defaults() {
        return from(new Settings(Map.of()));
    }

    /** Reads {@link #OPTIONS}. */
    public static FeatureSpec from(Settings settings) {
        return new FeatureSpec(LAGS.value(settings), SEASON_PERIOD.value(settings), CALENDAR.value(settings),
                ZoneId.of(ZONE.value(settings)));
    }

    private static boolean isZone(String zone) {
        try {
            ZoneId.of(zone);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    /** Intervals of history needed before the first target. */
    public int history() {
        return Math.max(lags, seasonPeriod);
    }

    public List<String> featureNames() {
        List<String> names = new ArrayList<>();
        for (int lag = 1; lag <= lags; lag++) {
            names.add("lag_" + lag);
        }
        if (calendar) {
            names.addAll(List.of("time_of_day_sin", "time_of_day_cos", "day_of_week_sin", "day_of_week_cos"));
        }
        return names;
    }
}
