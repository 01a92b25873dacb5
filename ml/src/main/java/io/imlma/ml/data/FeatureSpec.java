package io.imlma.ml.data;

import io.imlma.common.config.Settings;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

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

    public FeatureSpec {
        if (lags < 1) {
            throw new IllegalArgumentException("lags must be at least 1, got " + lags);
        }
        if (seasonPeriod < 1) {
            throw new IllegalArgumentException("seasonPeriod must be at least 1, got " + seasonPeriod);
        }
    }

    public static FeatureSpec defaults() {
        return new FeatureSpec(DAY_OF_15_MINUTE_INTERVALS, DAY_OF_15_MINUTE_INTERVALS, true, ZoneId.of("UTC"));
    }

    /** Reads {@code features.lags}, {@code features.season-period}, {@code features.calendar}, {@code features.zone}. */
    public static FeatureSpec from(Settings settings) {
        FeatureSpec d = defaults();
        int lags = settings.integer("features.lags", d.lags());
        Settings.require(lags >= 1, "features.lags", "must be at least 1");
        int season = settings.integer("features.season-period", d.seasonPeriod());
        Settings.require(season >= 1, "features.season-period", "must be at least 1");
        String zone = settings.string("features.zone", d.zone().getId());
        ZoneId zoneId;
        try {
            zoneId = ZoneId.of(zone);
        } catch (RuntimeException e) {
            throw new io.imlma.common.config.ConfigException("features.zone", "unknown time zone " + zone);
        }
        return new FeatureSpec(lags, season, settings.bool("features.calendar", d.calendar()), zoneId);
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
