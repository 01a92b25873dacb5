package io.imlma.jobs.pipeline;

import io.imlma.common.config.ConfigException;
import io.imlma.common.config.Option;
import io.imlma.common.config.Settings;
import io.imlma.common.features.FeatureSettings;
import io.imlma.udf.preprocess.Plausibility;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validated settings of the preprocessing pipeline, {@link #OPTIONS} (listed in docs/settings.md).
 * {@link #from(Settings)} fails with a {@link ConfigException} naming the first bad setting.
 *
 * @param plausibility checks of a reading's value before it touches a meter's state (see Plausibility)
 */
public record PipelineConfig(
        Duration windowSize,
        Duration outOfOrderness,
        Duration idleness,
        Duration dedupTtl,
        Duration maxFuture,
        Duration maxAhead,
        Duration maxBehind,
        Plausibility plausibility,
        int warmUpIntervals,
        String checkpointDir,
        Duration checkpointInterval) {

    public static final Option<Duration> WINDOW_SIZE = Option.duration("window.size")
            .defaultValue(FeatureSettings.DEFAULT_INTERVAL).check(d -> d.toMillis() > 0, "must be positive")
            .description("Length of an interval: one feature row per meter and interval.");
    public static final Option<Duration> OUT_OF_ORDERNESS = Option.duration("watermark.out-of-orderness")
            .defaultValue(Duration.ofMinutes(2)).check(d -> !d.isNegative(), "must not be negative")
            .description("How far behind the newest reading a reading may arrive and still count; later ones go to"
                    + " the late output.");
    public static final Option<Duration> IDLENESS = Option.duration("watermark.idleness")
            .defaultValue(Duration.ofMinutes(1)).check(d -> !d.isNegative(), "must not be negative (0 disables"
                    + " idleness)")
            .description("A source split silent this long stops holding back the watermark; 0 = never idle.");
    public static final Option<Duration> DEDUP_TTL = Option.duration("dedup.ttl").defaultValue(Duration.ofHours(24))
            .check(d -> d.toMillis() > 0, "must be positive")
            .description("How long the readings of a closed interval are remembered, so that a re-send of one is a"
                    + " duplicate (or a conflict) rather than late (docs/state.md).");
    public static final Option<Duration> MAX_FUTURE = Option.duration("parse.max-future")
            .defaultValue(Duration.ofHours(1)).check(d -> !d.isNegative(), "must not be negative")
            .description("Readings stamped further ahead of the wall clock are dead-lettered (JSON input, whose"
                    + " clock is the wall clock's).");
    public static final Option<Duration> MAX_AHEAD = Option.duration("clock.max-ahead")
            .defaultValue(Duration.ofHours(1))
            .description("A reading stamped further ahead of the newest event time its source has accepted is"
                    + " quarantined before it can move the watermark, unless a second, later reading confirms the"
                    + " jump (EventTimeGuard); at least window.size.");
    public static final Option<Duration> MAX_BEHIND = Option.duration("clock.max-behind")
            .defaultValue(Duration.ofDays(7))
            .description("A reading stamped further behind the newest accepted event time is quarantined as clock"
                    + " skew rather than reported late; at least watermark.out-of-orderness.");
    public static final Option<String> BOUNDS = Option.string("plausibility.bounds")
            .defaultValue(Plausibility.ETT_BOUNDS)
            .description("Bounds of a reading's value by channel, channel=min..max,...: every ETT load channel"
                    + " ±1000, OT -60..150.");
    public static final Option<String> DEFAULT_BOUNDS = Option.string("plausibility.default-bounds")
            .defaultValue(Plausibility.DEFAULT_BOUNDS.toString())
            .description("Bounds (min..max) of the channels plausibility.bounds does not name.");
    public static final Option<Boolean> OUTLIER_ENABLED = Option.bool("plausibility.outlier.enabled")
            .defaultValue(Plausibility.DEFAULT_OUTLIERS.enabled())
            .description("The median/MAD outlier rule on a meter's recent readings; off: only finiteness and bounds"
                    + " are checked, and no history is kept.");
    public static final Option<Integer> OUTLIER_WINDOW = Option.integer("plausibility.outlier.window")
            .defaultValue(Plausibility.DEFAULT_OUTLIERS.window())
            .check(n -> n >= 1 && n <= 1000, "must be 1 to 1000 (each value costs 8 bytes of every meter's state)")
            .description("Recent in-bounds readings kept per meter for the outlier rule.");
    public static final Option<Integer> OUTLIER_MIN_HISTORY = Option.integer("plausibility.outlier.min-history")
            .check(n -> n >= 1, "must be at least 1")
            .defaultText(Plausibility.DEFAULT_OUTLIERS.minHistory() + ", or the window if smaller")
            .description("Readings the outlier rule waits for before it applies; at most the window.");
    public static final Option<Double> OUTLIER_THRESHOLD = Option.decimal("plausibility.outlier.threshold")
            .defaultValue(Plausibility.DEFAULT_OUTLIERS.threshold()).check(t -> t > 0, "must be positive")
            .description("Robust standard deviations from the median beyond which a value is an outlier.");
    public static final Option<Double> OUTLIER_MIN_SCALE = Option.decimal("plausibility.outlier.min-scale")
            .defaultValue(Plausibility.DEFAULT_OUTLIERS.minScale()).check(m -> m > 0, "must be positive")
            .description("The least robust standard deviation, in the channel's unit.");
    public static final Option<Integer> WARM_UP_INTERVALS = Option.integer("standardize.warm-up-intervals")
            .defaultValue(FeatureSettings.DEFAULT_WARM_UP_INTERVALS).check(n -> n >= 1, "must be at least 1")
            .description("Intervals a meter needs before its z-scores are trusted (96 = one day).");
    public static final Option<String> CHECKPOINT_DIR = Option.string("checkpoint.dir")
            .check(d -> d.contains("://"), "must be a URI such as file:///var/imlma/checkpoints or"
                    + " hdfs://namenode/imlma/checkpoints")
            .description("Checkpoint storage URI (file:///..., hdfs://...).");
    public static final Option<Duration> CHECKPOINT_INTERVAL = Option.duration("checkpoint.interval")
            .defaultValue(Duration.ofSeconds(30)).check(d -> d.toMillis() >= 10, "must be at least 10ms")
            .description("Exactly-once checkpoint interval; outputs are committed at each checkpoint.");
    public static final List<Option<?>> OPTIONS = List.of(WINDOW_SIZE, OUT_OF_ORDERNESS, IDLENESS, DEDUP_TTL,
            MAX_FUTURE, MAX_AHEAD, MAX_BEHIND, BOUNDS, DEFAULT_BOUNDS, OUTLIER_ENABLED, OUTLIER_WINDOW,
            OUTLIER_MIN_HISTORY, OUTLIER_THRESHOLD, OUTLIER_MIN_SCALE, WARM_UP_INTERVALS, CHECKPOINT_DIR,
            CHECKPOINT_INTERVAL);

    public static PipelineConfig from(Settings s) {
        Duration windowSize = WINDOW_SIZE.value(s);
        Duration outOfOrderness = OUT_OF_ORDERNESS.value(s);
        Duration maxAhead = MAX_AHEAD.value(s);
        Settings.require(maxAhead.compareTo(windowSize) >= 0, MAX_AHEAD.key(), "must be at least "
                + WINDOW_SIZE.key() + " (" + windowSize + "): readings of the next interval are ahead");
        Duration maxBehind = MAX_BEHIND.value(s);
        Settings.require(maxBehind.compareTo(outOfOrderness) >= 0, MAX_BEHIND.key(),
                "must be at least " + OUT_OF_ORDERNESS.key() + " (" + outOfOrderness + ")");
        return new PipelineConfig(windowSize, outOfOrderness, IDLENESS.value(s), DEDUP_TTL.value(s),
                MAX_FUTURE.value(s), maxAhead, maxBehind, plausibility(s), WARM_UP_INTERVALS.value(s),
                CHECKPOINT_DIR.value(s), CHECKPOINT_INTERVAL.value(s));
    }

    private static Plausibility plausibility(Settings s) {
        Map<String, Plausibility.Bounds> bounds;
        try {
            bounds = Plausibility.parseBounds(BOUNDS.value(s));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(BOUNDS.key(), e.getMessage());
        }
        Plausibility.Bounds other;
        try {
            other = Plausibility.Bounds.parse(DEFAULT_BOUNDS.value(s));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(DEFAULT_BOUNDS.key(), e.getMessage());
        }
        int window = OUTLIER_WINDOW.value(s);
        int minHistory = OUTLIER_MIN_HISTORY.find(s)
                .orElse(Math.min(Plausibility.DEFAULT_OUTLIERS.minHistory(), window));
        Settings.require(minHistory <= window, OUTLIER_MIN_HISTORY.key(),
                "must be 1 to " + OUTLIER_WINDOW.key() + " (" + window + ")");
        return new Plausibility(bounds, other, new Plausibility.OutlierRule(OUTLIER_ENABLED.value(s), window,
                minHistory, OUTLIER_THRESHOLD.value(s), OUTLIER_MIN_SCALE.value(s)));
    }

    /** Settings map for the values of this config, e.g. to log it. */
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(WINDOW_SIZE.key(), windowSize.toString());
        d.put(OUT_OF_ORDERNESS.key(), outOfOrderness.toString());
        d.put(IDLENESS.key(), idleness.toString());
        d.put(DEDUP_TTL.key(), dedupTtl.toString());
        d.put(MAX_FUTURE.key(), maxFuture.toString());
        d.put(MAX_AHEAD.key(), maxAhead.toString());
        d.put(MAX_BEHIND.key(), maxBehind.toString());
        StringBuilder bounds = new StringBuilder();
        plausibility.channelBounds().forEach((channel, b) ->
                bounds.append(bounds.isEmpty() ? "" : ",").append(channel).append('=').append(b));
        d.put(BOUNDS.key(), bounds.toString());
        d.put(DEFAULT_BOUNDS.key(), plausibility.defaultBounds().toString());
        Plausibility.OutlierRule o = plausibility.outliers();
        d.put(OUTLIER_ENABLED.key(), Boolean.toString(o.enabled()));
        d.put(OUTLIER_WINDOW.key(), Integer.toString(o.window()));
        d.put(OUTLIER_MIN_HISTORY.key(), Integer.toString(o.minHistory()));
        d.put(OUTLIER_THRESHOLD.key(), Double.toString(o.threshold()));
        d.put(OUTLIER_MIN_SCALE.key(), Double.toString(o.minScale()));
        d.put(WARM_UP_INTERVALS.key(), Integer.toString(warmUpIntervals));
        d.put(CHECKPOINT_DIR.key(), checkpointDir);
        d.put(CHECKPOINT_INTERVAL.key(), checkpointInterval.toString());
        return d;
    }
}
