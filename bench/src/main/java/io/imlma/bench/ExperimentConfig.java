package io.imlma.bench;

import io.imlma.bench.cli.Arguments;
import io.imlma.bench.ett.EttExperiment;
import io.imlma.common.config.ConfigException;
import io.imlma.common.config.Settings;
import io.imlma.jobs.retrain.RetrainConfig;
import io.imlma.ml.data.BundledData;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the experiments run on and how much of it: {@code --mode quick} (CI, a few minutes on 2 cores) or
 * {@code --mode full} (the write-up), {@code --input} an ETT-format CSV (plain or gzip, told apart by content; default the bundled ETTm1),
 * {@code --channel} the load column (HUFL), {@code --out} the directory receiving {@code results.md} and
 * {@code figures/}. Every size below can be overridden by its name, e.g. {@code --tuning.seeds 10};
 * {@code --help} lists them with the defaults of the mode given.
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
        int apiSecondsPerLevel,
        double apiP99TargetMs,
        int pipelineMeters,
        int pipelineIntervals,
        int pipelineSqlIntervals,
        double pipelineTargetPerSecond,
        int latencyRetrainings,
        int latencyInitialWeeks,
        double latencySpeedUp,
        int latencyTuningTrials,
        int latencyMinutes,
        String latencyTrainer,
        List<String> ettTasks,
        List<Integer> ettLengths,
        boolean ettMlp,
        int dayAheadWeeks,
        int dayAheadTrainWindows,
        int dayAheadValidationWindows,
        int dayAheadBudget,
        int dayAheadSeeds) {

    public static final String QUICK = "quick";
    public static final String FULL = "full";

    public static ExperimentConfig from(Arguments a) {
        String mode = a.string("mode", QUICK, "quick (CI, a few minutes) or full (the write-up); the defaults "
                + "below are those of the mode given").toLowerCase(Locale.ROOT);
        Settings.require(mode.equals(QUICK) || mode.equals(FULL), "mode", "must be quick or full, got " + mode);
        boolean full = mode.equals(FULL);
        Path input = a.path("input", BundledData.ETTM1, BundledData::ettm1, "ETT-format CSV, plain or gzip");
        ExperimentConfig c = new ExperimentConfig(mode, input, a.string("channel", "HUFL", "the ETT column forecast"),
                Path.of(a.string("out", "docs", "directory receiving results.md and figures/")),
                a.integer("data.weeks", full ? 1000 : 20, "weeks read from the input, at most"),
                a.integer("tuning.weeks", full ? 8 : 3, "weeks of data the tuners are compared on"),
                a.integer("tuning.trials", full ? 40 : 12, "trials per tuning run"),
                a.integer("tuning.seeds", full ? 8 : 5, "tuning runs per tuner"),
                a.integer("replacement.window-weeks", full ? 8 : 4, "training window of each retraining"),
                a.integer("replacement.every-days", 14, "days between retrainings"),
                a.integer("replacement.tuning-trials", full ? 8 : 3, "tuning trials per retraining"),
                a.integer("trigger.window-weeks", 4, "training window of each triggered retraining"),
                decimals(a.string("trigger.thetas", full ? "0.05,0.1,0.2" : "0.1",
                        "data-volume thresholds θ compared, comma-separated")),
                a.decimal("trigger.degradation-margin", 0.25, "relative rise of a day's MAE over the "
                        + "champion's that makes a retraining warranted"),
                a.integer("stability.window", 672,
                        "forecasts in the stability monitor's variance and baseline windows"),
                a.integer("api.seconds-per-level", full ? 20 : 2, "PredictBenchmark's seconds of wrk per level"),
                a.decimal("api.p99-target-ms", 25, "p99 latency target at the highest concurrency"),
                a.integer("pipeline.meters", full ? 10_000 : 500, "PipelineBenchmark's meters"),
                a.integer("pipeline.intervals", full ? 60 : 12, "PipelineBenchmark's intervals per meter"),
                a.integer("pipeline.sql-intervals", 12, "intervals per meter of the comparison with the Flink SQL "
                        + "peer, whose cost per record grows with the run"),
                a.decimal("pipeline.target-per-second", 100_000, "pipeline throughput target, readings/s"),
                a.integer("latency.retrainings", full ? 8 : 2, "retrainings the closed loop must register"),
                a.integer("latency.initial-weeks", full ? 4 : 2, "weeks fed at once, for the first training"),
                a.decimal("latency.speed-up", full ? 8_000 : 20_000,
                        "replay pace after the first weeks, × real time"),
                a.integer("latency.tuning-trials", full ? 8 : 2, "tuning trials per closed-loop retraining"),
                a.integer("latency.minutes", full ? 20 : 5, "time limit of the closed-loop run"),
                a.string("latency.trainer", full ? "mlp" : "nlinear", "the closed loop's trainer (training.model):"
                        + " the neural network in full mode, whose trigger-to-serving time must stay under 60 s"),
                Arrays.stream(a.string("ett.tasks", full ? "univariate,multivariate" : "univariate",
                        "tasks of the ETT benchmark protocol: univariate (OT) and/or multivariate (all channels)")
                        .split(",")).map(String::trim)
                        .map(t -> t.equals("univariate") ? EttExperiment.UNIVARIATE : t).toList(),
                Arrays.stream(a.string("ett.lengths", full ? "336,512,720" : "336",
                        "input lengths L the linear family tries on the protocol (chosen on validation)").split(","))
                        .map(String::trim).map(Integer::parseInt).toList(),
                Boolean.parseBoolean(a.string("ett.mlp", Boolean.toString(full), "train the MLP on the protocol too")),
                a.integer("day-ahead.weeks", full ? 16 : 8, "weeks of every channel the day-ahead tuners compare on"),
                a.integer("day-ahead.train-windows", full ? 1000 : 300, "training windows per day-ahead trial"),
                a.integer("day-ahead.validation-windows", full ? 1500 : 300, "validation windows per day-ahead trial"),
                a.integer("day-ahead.budget", full ? 20 : 5, "trials per tuner and seed on the day-ahead task"),
                a.integer("day-ahead.seeds", full ? 8 : 2, "seeds of the day-ahead tuning comparison"));
        Settings.require(c.ettTasks().stream().allMatch(t -> t.equals(EttExperiment.UNIVARIATE)
                || t.equals(EttExperiment.MULTIVARIATE)), "ett.tasks", "expected univariate and/or multivariate");
        try {
            RetrainConfig.TRAINER.value(new Settings(Map.of(RetrainConfig.TRAINER.key(), c.latencyTrainer())));
        } catch (ConfigException e) {
            throw new ConfigException("latency.trainer", e.getMessage());
        }
        Settings.require(c.dayAheadSeeds() >= 1, "day-ahead.seeds", "must be at least 1");
        Settings.require(c.dayAheadBudget() >= 2, "day-ahead.budget", "must be at least 2");
        Settings.require(c.pipelineSqlIntervals() >= 2, "pipeline.sql-intervals", "must be at least 2");
        Settings.require(c.tuningSeeds() >= 1, "tuning.seeds", "must be at least 1");
        Settings.require(c.tuningTrials() >= 2, "tuning.trials", "must be at least 2");
        Settings.require(c.dataWeeks() >= 8, "data.weeks", "must be at least 8");
        Settings.require(c.latencyRetrainings() >= 1, "latency.retrainings", "must be at least 1");
        Settings.require(c.latencyInitialWeeks() >= 1, "latency.initial-weeks", "must be at least 1");
        Settings.require(c.latencySpeedUp() > 0, "latency.speed-up", "must be positive");
        Settings.require(c.latencyTuningTrials() >= 1, "latency.tuning-trials", "must be at least 1");
        Settings.require(c.latencyMinutes() >= 1, "latency.minutes", "must be at least 1");
        Settings.require(c.triggerThetas().stream().allMatch(t -> t > 0), "trigger.thetas", "must be positive");
        return c;
    }

    private static List<Double> decimals(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).map(Double::parseDouble).toList();
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
