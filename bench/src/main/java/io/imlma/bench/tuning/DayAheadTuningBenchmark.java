package io.imlma.bench.tuning;

import io.imlma.bench.cli.Arguments;
import io.imlma.bench.ett.EttData;
import io.imlma.ml.data.BundledData;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;


/**
 * Bayesian optimization's share of random search's budget to reach random search's final best validation loss, on
 * the day-ahead task (see {@link DayAheadTuning}); {@code --help} lists the options.
 */
public final class DayAheadTuningBenchmark {
    public static final String COMMAND = "bench-day-ahead-tuning";

    private DayAheadTuningBenchmark() {}

    /** The data and the measurement's sizes. */
    public record Options(Path input, DayAheadTuning.Config config) {
        public static Options from(Arguments a) {
            DayAheadTuning.Config d = DayAheadTuning.Config.defaults();
            Path input = a.path("input", BundledData.ETTM1, BundledData::ettm1, "ETT-format CSV, plain or gzip");
            return new Options(input, new DayAheadTuning.Config(
                    a.integer("weeks", d.weeks(), "weeks of data from the start of the file"),
                    a.integer("length", d.inputLength(), "input length L"),
                    a.integer("train-windows", d.trainWindows(), "training windows each trial fits on (a seeded sample)"),
                    a.integer("validation-windows", d.validationWindows(), "validation windows each trial is scored on"),
                    a.integer("budget", d.budget(), "trials per tuner"),
                    a.integer("seeds", d.seeds(), "seeds, one BO and one random run each"),
                    Arrays.asList(a.string("tuned", String.join(",", d.tuned()),
                            "hyperparameters tuned (the rest fixed at width 64, depth 1)").split(",")),
                    d.fixed()));
        }
    }

    public static void main(String[] args) throws Exception {
        Arguments.run(args, COMMAND, "Bayesian optimization's share of random search's budget to reach random"
                + " search's final best validation loss, on the day-ahead task, over seeds.", Options::from,
                DayAheadTuningBenchmark::print);
    }

    private static void print(Options options) throws Exception {
        DayAheadTuning.Config config = options.config();
        System.out.printf(Locale.ROOT, "Day-ahead tuning on %s: %s%n", options.input(), config);
        DayAheadTuning.Result result = DayAheadTuning.run(EttData.read(options.input()), config, seed -> System.out.printf(
                Locale.ROOT, "seed %d: random best %.4f, BO best %.4f, BO reached random's best after %s of %d trials"
                        + " (random %.0f s, BO %.0f s)%n  random curve %s%n  BO curve     %s%n",
                seed.seed(), seed.randomBest(), seed.bayesBest(),
                seed.reached() ? String.valueOf(seed.trialsToReach()) : "more than", config.budget(),
                seed.randomSeconds(), seed.bayesSeconds(), curve(seed.randomCurve()), curve(seed.bayesCurve())));
        System.out.printf(Locale.ROOT, "%n%d train windows (%d per trial), %d validation windows (%d scored), loss %s%n",
                result.trainWindows(), config.trainWindows(), result.validationWindows(), config.validationWindows(),
                result.loss());
        System.out.printf(Locale.ROOT, "BO share of random search's budget to reach its final best over %d seeds: "
                        + "mean %.0f %%, median %.0f %%; reached on %d of %d seeds (goal ≤ 35 %%, paper ≈ 43 %%)%n",
                result.seeds().size(), 100 * result.meanShare(), 100 * result.medianShare(), result.reached(),
                result.seeds().size());
        double meanRandom = result.seeds().stream().mapToDouble(DayAheadTuning.SeedResult::randomBest).average()
                .orElseThrow();
        double meanBayes = result.seeds().stream().mapToDouble(DayAheadTuning.SeedResult::bayesBest).average()
                .orElseThrow();
        System.out.printf(Locale.ROOT, "mean final best validation MAE: random %.4f, BO %.4f; BO's mean curve reaches"
                        + " random's mean final best after %s of %d trials%n", meanRandom, meanBayes,
                result.meanCurveTrials() > 0 ? String.valueOf(result.meanCurveTrials()) : "more than", config.budget());
    }

    private static String curve(double[] values) {
        return Arrays.stream(values).mapToObj(v -> String.format(Locale.ROOT, "%.4f", v))
                .collect(Collectors.joining(" "));
    }
}
