package io.imlma.jobs.pipeline;

import io.imlma.common.config.Settings;
import io.imlma.common.features.FeatureSettings;
import java.time.Duration;
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
 *                          ({@code parse.max-future}, default 1h)
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
        int warmUpIntervals,
        String checkpointDir,
        Duration checkpointInterval) {

    public static final String WINDOW_SIZE = "window.size";
    public static final String OUT_OF_ORDERNESS = "watermark.out-of-orderness";
    public static final String IDLENESS = "watermark.idleness";
    public static final String DEDUP_TTL = "dedup.ttl";
    public static final String MAX_FUTURE = "parse.max-future";
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
        int warmUp = s.integer(WARM_UP_INTERVALS, FeatureSettings.DEFAULT_WARM_UP_INTERVALS);
        Settings.require(warmUp >= 1, WARM_UP_INTERVALS, "must be at least 1");
        String checkpointDir = s.string(CHECKPOINT_DIR);
        Settings.require(checkpointDir.contains("://"), CHECKPOINT_DIR,
                "must be a URI such as file:///var/imlma/checkpoints or hdfs://namenode/imlma/checkpoints");
        Duration checkpointInterval = s.duration(CHECKPOINT_INTERVAL, Duration.ofSeconds(30));
        Settings.require(checkpointInterval.toMillis() >= 10, CHECKPOINT_INTERVAL, "must be at least 10ms");
        return new PipelineConfig(windowSize, outOfOrderness, idleness, dedupTtl, maxFuture, warmUp, checkpointDir,
                checkpointInterval);
    }

    /** Settings map for the values of this config, e.g. to log it. */
    public Map<String, String> describe() {
        return Map.of(WINDOW_SIZE, windowSize.toString(), OUT_OF_ORDERNESS, outOfOrderness.toString(),
                IDLENESS, idleness.toString(), DEDUP_TTL, dedupTtl.toString(), MAX_FUTURE, maxFuture.toString(),
                WARM_UP_INTERVALS, Integer.toString(warmUpIntervals), CHECKPOINT_DIR, checkpointDir,
                CHECKPOINT_INTERVAL, checkpointInterval.toString());
    }
}
