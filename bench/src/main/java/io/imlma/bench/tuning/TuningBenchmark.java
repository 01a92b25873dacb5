package io.imlma.bench.tuning;

import io.imlma.bench.cli.Arguments;
import io.imlma.common.config.Settings;
import io.imlma.ml.data.BundledData;
import io.imlma.ml.data.Dataset;
import io.imlma.ml.data.EttCsv;
import io.imlma.ml.data.FeatureBuilder;
import io.imlma.ml.data.FeatureSpec;
import io.imlma.ml.eval.Metric;
import io.imlma.ml.eval.Metrics;
import io.imlma.ml.model.EstimatorFactory;
import io.imlma.ml.model.LinearRegression;
import io.imlma.ml.model.MlpRegression;
import io.imlma.ml.tune.BayesianOptimizer;
import io.imlma.ml.tune.ForecastObjective;
import io.imlma.ml.tune.GridSearch;
import io.imlma.ml.tune.RandomSearch;
import io.imlma.ml.tune.Tuner;
import io.imlma.ml.tune.TuningBudget;
import io.imlma.ml.tune.TuningDriver;
import io.imlma.ml.tune.TuningResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;
import org.hipparchus.stat.descriptive.StreamingStatistics;

/**
 * Best validation MAE against number of trials for Bayesian optimization, random and grid search on ETTm1, over
 * several seeds (mean ± standard deviation), and wall time per run.
 */
public final class TuningBenchmark {
    public static final String COMMAND = "bench-tuning";
    /** Every trial trains with this seed; the tuners' own seeds are 1, 2, … */
    private static final long TRAINING_SEED = 7;

    /** Called after each run, e.g. to show progress. */
    @FunctionalInterface
    public interface RunListener {
        void finished(String tuner, int seed, TuningResult result);
    }

    /** @param round trials proposed and evaluated together */
    public record Options(String model, String channel, int weeks, int trials, int seeds, int round, Path data) {
        public Options {
            Settings.require(model.equals("linear") || model.equals("mlp"), "model",
                    "must be linear or mlp, got " + model);
            Settings.require(weeks >= 1, "weeks", "must be at least 1");
            Settings.require(trials >= 1, "trials", "must be at least 1");
            Settings.require(seeds >= 1, "seeds", "must be at least 1");
            Settings.require(round >= 1, "round", "must be at least 1");
        }

        public static Options from(Arguments a) {
            return new Options(a.string("model", "linear", "linear or mlp"),
                    a.string("channel", "HUFL", "the ETT column forecast"),
                    a.integer("weeks", 8, "weeks of data from the start of the file"),
                    a.integer("trials", 30, "trials per tuning run"),
                    a.integer("seeds", 3, "runs per tuner, with tuner seeds 1, 2, ..."),
                    a.integer("round", 1, "trials proposed and evaluated together"),
                    a.path("data", BundledData.ETTM1, BundledData::ettm1, "ETT-format CSV, gzip"));
        }

        EstimatorFactory factory() {
            return model.equals("mlp") ? new MlpRegression() : new LinearRegression();
        }
    }

    /** The data tuned on, its naive baselines, and each tuner's runs. */
    public record Figures(String channel, int weeks, String model, int trainRows, int validationRows,
                          double lastValueMae, double seasonalMae, List<TunerRuns> tuners) {
        public void printTo(PrintStream out) {
            out.printf(Locale.ROOT, "ETTm1 %s, %d weeks, %s model, %d train / %d validation rows; "
                    + "last-value validation MAE %.4f, seasonal %.4f%n", channel, weeks, model, trainRows,
                    validationRows, lastValueMae, seasonalMae);
            out.print("trials");
            tuners.forEach(t -> out.printf(Locale.ROOT, " | %-20s", t.tuner() + " MAE mean±sd"));
            out.println();
            int trials = tuners.get(0).trials();
            for (int k = 0; k < trials; k++) {
                if (k < 10 || (k + 1) % 5 == 0) {
                    out.printf(Locale.ROOT, "%6d", k + 1);
                    for (TunerRuns t : tuners) {
                        StreamingStatistics at = t.bestAfter(k);
                        out.printf(Locale.ROOT, " | %.4f ± %.4f     ", at.getMean(), at.getStandardDeviation());
                    }
                    out.println();
                }
            }
            for (TunerRuns t : tuners) {
                out.printf(Locale.ROOT, "%s: wall time per run %.1f s ± %.1f s%n", t.tuner(), t.wallTime().getMean(),
                        t.wallTime().getStandardDeviation());
            }
        }
    }

    private TuningBenchmark() {}

    public static void main(String[] args) throws Exception {
        Arguments.run(args, COMMAND, "Best validation MAE against trials for Bayesian optimization, random and grid "
                + "search on ETTm1, mean ± sd over seeds, and wall time per run.",
                Options::from, options -> run(options).printTo(System.out));
    }

    public static Figures run(Options options) throws Exception {
        EstimatorFactory factory = options.factory();
        Dataset.Split split = new FeatureBuilder(FeatureSpec.defaults())
                .build(EttCsv.read(options.data(), options.channel(), 0, 96 * 7 * options.weeks())).split();
        ForecastObjective objective = new ForecastObjective(factory, split.train(), split.validation(), Metric.MAE);
        List<TunerRuns> tuners = compare(factory, objective, options.trials(), options.seeds(), options.round(),
                (tuner, seed, result) -> { });
        return new Figures(options.channel(), options.weeks(), factory.name(), split.train().size(),
                split.validation().size(),
                Metrics.of(split.validation().targets(), split.validation().lastValues()).mae(),
                Metrics.of(split.validation().targets(), split.validation().seasonalValues()).mae(), tuners);
    }

    /**
     * Bayesian optimization, random and grid search (the largest full grid within the budget), in that order, each
     * run through {@link TuningDriver} on {@code objective} once per tuner seed 1…{@code seeds}.
     */
    public static List<TunerRuns> compare(EstimatorFactory factory, ForecastObjective objective, int trials,
            int seeds, int round, RunListener listener) {
        record Tuning(String name, LongFunction<Tuner> create) {}
        List<Tuning> tunings = List.of(
                new Tuning("bayesian", seed -> new BayesianOptimizer(factory.searchSpace(), seed)),
                new Tuning("random", seed -> new RandomSearch(factory.searchSpace(), seed)),
                new Tuning("grid", seed -> new GridSearch(factory.searchSpace(), trials, seed)));
        List<TunerRuns> runs = new ArrayList<>();
        for (Tuning tuning : tunings) {
            List<TuningResult> results = new ArrayList<>();
            double[] wallSeconds = new double[seeds];
            for (int s = 0; s < seeds; s++) {
                long started = System.nanoTime();
                TuningResult result = TuningDriver.run(tuning.create().apply(s + 1L), objective,
                        new TuningBudget(trials, round, 0, TRAINING_SEED));
                wallSeconds[s] = (System.nanoTime() - started) / 1e9;
                results.add(result);
                listener.finished(tuning.name(), s + 1, result);
            }
            runs.add(new TunerRuns(tuning.name(), trials, results, wallSeconds));
        }
        return List.copyOf(runs);
    }
}
