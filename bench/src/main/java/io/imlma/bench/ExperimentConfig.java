package io.imlma.bench;

import io.imlma.common.config.Settings;
import io.imlma.ml.data.BundledData;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What the experiments run on and how much of it: {@code --mode quick} (CI, a few minutes on 2 cores) or
 * {@code --mode full} (the write-up), {@code --input} an ETT-format CSV (gzip; default the bundled ETTm1),
 * {@code --channel} the load column (HUFL), {@code --out} the directory receiving {@code results.md} and
 * {@code figures/}. Every size below can be overridden by its name, e.g. {@code --tuning.seeds 10}.
 */
public record ExperimentConfig(
        String mode,
        Path input,
        String channel,
        Path out,
        int dataWeeks,
        int tuningWeeks,
        int tuningTrials,
        int tuningSeeds,
        int replacementWindowWeeks,
        int replacementEveryDays,
        int replacementTuningTrials,
        int triggerWindowWeeks,
        List<Double> triggerThetas,
        double triggerDegradationMargin,
        int stabilityWindow,
        int apiRequestsPerLevel,
        int apiSecondsPerLevel,
        double apiP99TargetMs,
        int pipelineMeters,
        int pipelineIntervals,
        double pipelineTargetPerSecond,
        int latencyRetrainings,
        int latencyInitialWeeks,
        double latencySpeedUp,
        int latencyTuningTrials,
        int latencyMinutes) {

    public static final String QUICK = "quick";
    public static final String FULL = "full";

    public static ExperimentConfig from(Settings s) {
        String mode = s.string("mode", QUICK).toLowerCase(Locale.ROOT);
        Settings.require(mode.equals(QUICK) || mode.equals(FULL), "mode", "must be quick or full, got " + mode);
        boolean full = mode.equals(FULL);
        Path input = s.has("input") ? Path.of(s.string("input")) : BundledData.ettm1();
        List<Double> thetas = Arrays.stream(s.string("trigger.thetas", full ? "0.05,0.1,0.2" : "0.1").split(","))
                .map(String::trim).map(Double::parseDouble).toList();
        ExperimentConfig c = new ExperimentConfig(mode, input, s.string("channel", "HUFL"),
                Path.of(s.string("out", "docs")),
                s.integer("data.weeks", full ? 1000 : 20),
                s.integer("tuning.weeks", full ? 8 : 3),
                s.integer("tuning.trials", full ? 40 : 12),
                s.integer("tuning.seeds", full ? 8 : 5),
                s.integer("replacement.window-weeks", full ? 8 : 4),
                s.integer("replacement.every-days", 14),
                s.integer("replacement.tuning-trials", full ? 8 : 3),
                s.integer("trigger.window-weeks", 4),
                thetas,
                s.decimal("trigger.degradation-margin", 0.25),
                s.integer("stability.window", 672),
                s.integer("api.requests-per-level", full ? 20_000 : 300),
                s.integer("api.seconds-per-level", full ? 30 : 5),
                s.decimal("api.p99-target-ms", 50),
                s.integer("pipeline.meters", full ? 10_000 : 500),
                s.integer("pipeline.intervals", full ? 60 : 12),
                s.decimal("pipeline.target-per-second", 100_000),
                s.integer("latency.retrainings", full ? 8 : 2),
                s.integer("latency.initial-weeks", full ? 4 : 2),
                s.decimal("latency.speed-up", full ? 8_000 : 20_000),
                s.integer("latency.tuning-trials", full ? 8 : 2),
                s.integer("latency.minutes", full ? 20 : 5));
        Settings.require(c.tuningSeeds() >= 1, "tuning.seeds", "must be at least 1");
        Settings.require(c.tuningTrials() >= 2, "tuning.trials", "must be at least 2");
        Settings.require(c.dataWeeks() >= 8, "data.weeks", "must be at least 8");
        Settings.require(c.latencyRetrainings() >= 1, "latency.retrainings", "must be at least 1");
        Settings.require(c.latencyInitialWeeks() >= 1, "latency.initial-weeks", "must be at least 1");
        Settings.require(c.latencySpeedUp() > 0, "latency.speed-up", "must be positive");
        Settings.require(c.latencyTuningTrials() >= 1, "latency.tuning-trials", "must be at least 1");
        Settings.require(c.latencyMinutes() >= 1, "latency.minutes", "must be at least 1");
        Settings.require(thetas.stream().allMatch(t -> t > 0), "trigger.thetas", "must be positive");
        return c;
    }

    public boolean full() {
        return mode.equals(FULL);
    }

    public Path figures() {
        return out.resolve("figures");
    }

    /** Rows of 15-minute intervals read from the input. */
    public int maxRows() {
        return (int) Math.min(Integer.MAX_VALUE, 96L * 7 * dataWeeks);
    }
}
