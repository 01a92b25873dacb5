package io.imlma.bench;

import io.imlma.ml.benchmark.DayAheadTuning;
import io.imlma.ml.benchmark.EttData;
import io.imlma.ml.data.BundledData;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Bayesian optimization's share of random search's budget to reach random search's final best validation loss, on
 * the day-ahead task (see {@link DayAheadTuning}). Options: {@code --input <ETT csv>}, {@code --weeks 16},
 * {@code --length 336}, {@code --train-windows 2000}, {@code --validation-windows 3000}, {@code --budget 20},
 * {@code --seeds 8}, {@code --tuned learningRate,l2,batchSize,width,depth} (default all five; width 64 and depth 1
 * when not tuned).
 */
public final class DayAheadTuningBenchmark {
    private DayAheadTuningBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = EttBenchmark.options(args, Set.of("input", "weeks", "length", "train-windows",
                "validation-windows", "budget", "seeds", "tuned"));
        Path input = options.containsKey("input") ? Path.of(options.get("input")) : BundledData.ettm1();
        DayAheadTuning.Config d = DayAheadTuning.Config.defaults();
        DayAheadTuning.Config config = new DayAheadTuning.Config(
                integer(options, "weeks", d.weeks()), integer(options, "length", d.inputLength()),
                integer(options, "train-windows", d.trainWindows()),
                integer(options, "validation-windows", d.validationWindows()),
                integer(options, "budget", d.budget()), integer(options, "seeds", d.seeds()),
                options.containsKey("tuned") ? Arrays.asList(options.get("tuned").split(",")) : d.tuned(), d.fixed());
        System.out.printf(Locale.ROOT, "Day-ahead tuning on %s: %s%n", input, config);
        DayAheadTuning.Result result = DayAheadTuning.run(EttData.read(input), config, seed -> System.out.printf(
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

    private static int integer(Map<String, String> options, String name, int fallback) {
        return options.containsKey(name) ? Integer.parseInt(options.get(name)) : fallback;
    }
}
