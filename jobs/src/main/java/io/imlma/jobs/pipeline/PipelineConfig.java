package io.imlma.jobs.pipeline;

import io.imlma.common.config.ConfigException;
import io.imlma.common.config.Settings;
import io.imlma.common.features.FeatureSettings;
import io.imlma.udf.preprocess.Plausibility;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Validated settings of the preprocessing pipeline. {@link #from(Settings)} fails with a
 * {@link io.imlma.common.config.ConfigException} naming the first bad setting.
 *
 * @param windowSize        length of an interval ({@code window.size}, default 15min)
 * @param outOfOrderness    how far behind the newest reading a reading may arrive and still count
 *                          ({@code watermark.out-of-orderness}, default 2min); later ones go to the late output
 * @param idleness          a source split silent this long stops holding back the watermark
 *                          ({@code watermark.idleness}, default 1min; 0 = never idle)
 * @param dedupTtl          how long the readings of a closed interval are remembered, so that a re-send of one is
 *                          a duplicate (or a conflict) rather than late ({@code dedup.ttl}, default 24h;
 *                          docs/state.md)
 * @param maxFuture         readings stamped further ahead of the wall clock are dead-lettered
 *                          ({@code parse.max-future}, default 1h; JSON input, whose clock is the wall clock's)
 * @param maxAhead          a reading stamped further ahead of the newest event time its source has accepted is
 *                          quarantined before it can move the watermark ({@code clock.max-ahead}, default 1h),
 *                          unless a second, later reading confirms the jump (see EventTimeGuard)
 * @param maxBehind         a reading stamped further behind the newest accepted event time is quarantined as clock
 *                          skew rather than reported late ({@code clock.max-behind}, default 7d)
 * @param plausibility      checks of a reading's value before it touches a meter's state:
 *                          {@code plausibility.bounds} (bounds by channel, {@code HUFL=-1000..1000,OT=-60..150,...};
 *                          default: every ETT load channel ±1000, OT -60..150), {@code plausibility.default-bounds}
 *                          (other channels, default {@code -1e6..1e6}), the median/MAD outlier rule:
 *                          {@code plausibility.outlier.enabled} (default true), {@code plausibility.outlier.window}
 *                          (recent readings kept per meter, default 48), {@code plausibility.outlier.min-history}
 *                          (readings before the rule applies, default 24), {@code plausibility.outlier.threshold}
 *                          (robust standard deviations from the median, default 40),
 *                          {@code plausibility.outlier.min-scale} (least robust deviation, in the channel's unit,
 *                          default 1.0); see Plausibility
 * @param warmUpIntervals   intervals a meter needs before its z-scores are trusted
 *                          ({@code standardize.warm-up-intervals}, default 96 = one day)
 * @param checkpointDir     checkpoint storage URI ({@code checkpoint.dir}, required: file:///..., hdfs://...)
 * @param checkpointInterval exactly-once checkpoint interval ({@code checkpoint.interval}, default 30s)
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

    public static final String WINDOW_SIZE = "window.size";
    public static final String OUT_OF_ORDERNESS = "watermark.out-of-orderness";
    public static final String IDLENESS = "watermark.idleness";
    public static final String DEDUP_TTL = "dedup.ttl";
    public static final String MAX_FUTURE = "parse.max-future";
    public static final String MAX_AHEAD = "clock.max-ahead";
    public static final String MAX_BEHIND = "clock.max-behind";
    public static final String BOUNDS = "plausibility.bounds";
    public static final String DEFAULT_BOUNDS = "plausibility.default-bounds";
    public static final String OUTLIER_ENABLED = "plausibility.outlier.enabled";
    public static final String OUTLIER_WINDOW = "plausibility.outlier.window";
    public static final String OUTLIER_MIN_HISTORY = "plausibility.outlier.min-history";
    public static final String OUTLIER_THRESHOLD = "plausibility.outlier.threshold";
    public static final String OUTLIER_MIN_SCALE = "plausibility.outlier.min-scale";
    public static final String WARM_UP_INTERVALS = "standardize.warm-up-intervals";
    public static final String CHECKPOINT_DIR = "checkpoint.dir";
    public static final String CHECKPOINT_INTERVAL = "checkpoint.interval";

    public static PipelineConfig from(Settings s) {
        Duration windowSize = s.duration(WINDOW_SIZE, FeatureSettings.DEFAULT_INTERVAL);
        Settings.require(windowSize.toMillis() > 0, WINDOW_SIZE, "must be positive");
        Duration outOfOrderness = s.duration(OUT_OF_ORDERNESS, Duration.ofMinutes(2));
        Settings.require(!outOfOrderness.isNegative(), OUT_OF_ORDERNESS, "must not be negative");
        Duration idleness = s.duration(IDLENESS, Duration.ofMinutes(1));
        Settings.require(!idleness.isNegative(), IDLENESS, "must not be negative (0 disables idleness)");
        Duration dedupTtl = s.duration(DEDUP_TTL, Duration.ofHours(24));
        Settings.require(dedupTtl.toMillis() > 0, DEDUP_TTL, "must be positive");
        Duration maxFuture = s.duration(MAX_FUTURE, Duration.ofHours(1));
        Settings.require(!maxFuture.isNegative(), MAX_FUTURE, "must not be negative");
        Duration maxAhead = s.duration(MAX_AHEAD, Duration.ofHours(1));
        Settings.require(maxAhead.compareTo(windowSize) >= 0, MAX_AHEAD,
                "must be at least " + WINDOW_SIZE + " (" + windowSize + "): readings of the next interval are ahead");
        Duration maxBehind = s.duration(MAX_BEHIND, Duration.ofDays(7));
        Settings.require(maxBehind.compareTo(outOfOrderness) >= 0, MAX_BEHIND,
                "must be at least " + OUT_OF_ORDERNESS + " (" + outOfOrderness + ")");
        Plausibility plausibility = plausibility(s);
        int warmUp = s.integer(WARM_UP_INTERVALS, FeatureSettings.DEFAULT_WARM_UP_INTERVALS);
        Settings.require(warmUp >= 1, WARM_UP_INTERVALS, "must be at least 1");
        String checkpointDir = s.string(CHECKPOINT_DIR);
        Settings.require(checkpointDir.contains("://"), CHECKPOINT_DIR,
                "must be a URI such as file:///var/imlma/checkpoints or hdfs://namenode/imlma/checkpoints");
        Duration checkpointInterval = s.duration(CHECKPOINT_INTERVAL, Duration.ofSeconds(30));
        Settings.require(checkpointInterval.toMillis() >= 10, CHECKPOINT_INTERVAL, "must be at least 10ms");
        return new PipelineConfig(windowSize, outOfOrderness, idleness, dedupTtl, maxFuture, maxAhead, maxBehind,
                plausibility, warmUp, checkpointDir, checkpointInterval);
    }

    private static Plausibility plausibility(Settings s) {
        Map<String, Plausibility.Bounds> bounds;
        try {
            bounds = Plausibility.parseBounds(s.string(BOUNDS, Plausibility.ETT_BOUNDS));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(BOUNDS, e.getMessage());
        }
        Plausibility.Bounds other;
        try {
            other = Plausibility.Bounds.parse(s.string(DEFAULT_BOUNDS, Plausibility.DEFAULT_BOUNDS.toString()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(DEFAULT_BOUNDS, e.getMessage());
        }
        Plausibility.OutlierRule d = Plausibility.DEFAULT_OUTLIERS;
        boolean enabled = s.bool(OUTLIER_ENABLED, d.enabled());
        int window = s.integer(OUTLIER_WINDOW, d.window());
        Settings.require(window >= 1 && window <= 1000, OUTLIER_WINDOW,
                "must be 1 to 1000 (each value costs 8 bytes of every meter's state)");
        int minHistory = s.integer(OUTLIER_MIN_HISTORY, Math.min(d.minHistory(), window));
        Settings.require(minHistory >= 1 && minHistory <= window, OUTLIER_MIN_HISTORY,
                "must be 1 to " + OUTLIER_WINDOW + " (" + window + ")");
        double threshold = s.decimal(OUTLIER_THRESHOLD, d.threshold());
        Settings.require(threshold > 0, OUTLIER_THRESHOLD, "must be positive");
        double minScale = s.decimal(OUTLIER_MIN_SCALE, d.minScale());
        Settings.require(minScale > 0, OUTLIER_MIN_SCALE, "must be positive");
        return new Plausibility(bounds, other,
                new Plausibility.OutlierRule(enabled, window, minHistory, threshold, minScale));
    }

    /** Settings map for the values of this config, e.g. to log it. */
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(WINDOW_SIZE, windowSize.toString());
        d.put(OUT_OF_ORDERNESS, outOfOrderness.toString());
        d.put(IDLENESS, idleness.toString());
        d.put(DEDUP_TTL, dedupTtl.toString());
        d.put(MAX_FUTURE, maxFuture.toString());
        d.put(MAX_AHEAD, maxAhead.toString());
        d.put(MAX_BEHIND, maxBehind.toString());
        StringBuilder bounds = new StringBuilder();
        plausibility.channelBounds().forEach((channel, b) ->
                bounds.append(bounds.isEmpty() ? "" : ",").append(channel).append('=').append(b));
        d.put(BOUNDS, bounds.toString());
        d.put(DEFAULT_BOUNDS, plausibility.defaultBounds().toString());
        Plausibility.OutlierRule o = plausibility.outliers();
        d.put(OUTLIER_ENABLED, Boolean.toString(o.enabled()));
        d.put(OUTLIER_WINDOW, Integer.toString(o.window()));
        d.put(OUTLIER_MIN_HISTORY, Integer.toString(o.minHistory()));
        d.put(OUTLIER_THRESHOLD, Double.toString(o.threshold()));
        d.put(OUTLIER_MIN_SCALE, Double.toString(o.minScale()));
        d.put(WARM_UP_INTERVALS, Integer.toString(warmUpIntervals));
        d.put(CHECKPOINT_DIR, checkpointDir);
        d.put(CHECKPOINT_INTERVAL, checkpointInterval.toString());
        return d;
    }
}
