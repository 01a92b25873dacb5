package io.imlma.ml.bench;

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
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;
import org.hipparchus.stat.descriptive.StreamingStatistics;

/**
 * Best validation MAE against number of trials for Bayesian optimization, random and grid search on ETTm1, over
 * several seeds (mean ± standard deviation), and wall time per run. Options: {@code --model linear|mlp},
 * {@code --channel HUFL}, {@code --weeks 8}, {@code --trials 30}, {@code --seeds 3}, {@code --round 1},
 * {@code --data path/to/ETTm1.csv.gz}.
 */
public final class TuningBenchmark {
    private TuningBenchmark() {}

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromArgs(args);
        EstimatorFactory factory = settings.string("model", "linear").equals("mlp")
                ? new MlpRegression() : new LinearRegression();
        String channel = settings.string("channel", "HUFL");
        int weeks = settings.integer("weeks", 8);
        int trials = settings.integer("trials", 30);
        int seeds = settings.integer("seeds", 3);
        int round = settings.integer("round", 1);
        Path data = settings.has("data") ? Path.of(settings.string("data")) : BundledData.ettm1();

        Dataset.Split split = new FeatureBuilder(FeatureSpec.defaults())
                .build(EttCsv.read(data, channel, 0, 96 * 7 * weeks)).split();
        ForecastObjective objective = new ForecastObjective(factory, split.train(), split.validation(), Metric.MAE);
        System.out.printf(Locale.ROOT, "ETTm1 %s, %d weeks, %s model, %d train / %d validation rows; "
                        + "last-value validation MAE %.4f, seasonal %.4f%n", channel, weeks, factory.name(),
                split.train().size(), split.validation().size(),
                Metrics.of(split.validation().targets(), split.validation().lastValues()).mae(),
                Metrics.of(split.validation().targets(), split.validation().seasonalValues()).mae());

        List<String> names = List.of("bayesian", "random", "grid");
        List<LongFunction<Tuner>> tuners = List.of(
                seed -> new BayesianOptimizer(factory.searchSpace(), seed),
                seed -> new RandomSearch(factory.searchSpace(), seed),
                seed -> new GridSearch(factory.searchSpace(), trials, seed));
        double[][][] curves = new double[names.size()][seeds][];
        StreamingStatistics[] wall = new StreamingStatistics[names.size()];
        for (int t = 0; t < names.size(); t++) {
            wall[t] = new StreamingStatistics();
            for (int s = 0; s < seeds; s++) {
                long started = System.nanoTime();
                TuningResult result = TuningDriver.run(tuners.get(t).apply(s + 1L), objective,
                        new TuningBudget(trials, round, 0, 7));
                wall[t].addValue((System.nanoTime() - started) / 1e9);
                curves[t][s] = result.bestLossCurve();
            }
        }
        System.out.print("trials");
        names.forEach(n -> System.out.printf(Locale.ROOT, " | %-20s", n + " MAE mean±sd"));
        System.out.println();
        for (int k = 0; k < trials; k++) {
            if (k < 10 || (k + 1) % 5 == 0) {
                System.out.printf(Locale.ROOT, "%6d", k + 1);
                for (int t = 0; t < names.size(); t++) {
                    StreamingStatistics at = new StreamingStatistics();
                    for (double[] curve : curves[t]) {
                        at.addValue(curve[Math.min(k, curve.length - 1)]); // a finished grid keeps its best
                    }
                    System.out.printf(Locale.ROOT, " | %.4f ± %.4f     ", at.getMean(), at.getStandardDeviation());
                }
                System.out.println();
            }
        }
        for (int t = 0; t < names.size(); t++) {
            System.out.printf(Locale.ROOT, "%s: wall time per run %.1f s ± %.1f s%n", names.get(t),
                    wall[t].getMean(), wall[t].getStandardDeviation());
        }
    }
}
