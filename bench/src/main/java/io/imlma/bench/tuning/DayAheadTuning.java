package io.imlma.bench.tuning;

import io.imlma.bench.ett.EttData;
import io.imlma.common.types.FeatureRow;
import io.imlma.ml.eval.Metric;
import io.imlma.ml.horizon.HorizonObjective;
import io.imlma.ml.horizon.HorizonSpec;
import io.imlma.ml.horizon.MlpForecaster;
import io.imlma.ml.horizon.Normalization;
import io.imlma.ml.horizon.Series;
import io.imlma.ml.horizon.Windows;
import io.imlma.ml.model.Hyperparameters;
import io.imlma.ml.tune.BayesianOptimizer;
import io.imlma.ml.tune.RandomSearch;
import io.imlma.ml.tune.SearchSpace;
import io.imlma.ml.tune.TuningBudget;
import io.imlma.ml.tune.TuningDriver;
import io.imlma.ml.tune.TuningResult;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How much of random search's budget Bayesian optimization (GP-EI) needs to reach random search's final best
 * validation loss, on the day-ahead task the loop runs: every ETTm1 channel a meter, as the streaming job's feature
 * rows (raw values), one channel-independent MLP over them ({@link Normalization#LAST_SCALED}, since the channels'
 * units differ), the loop's time-ordered 70/15/15 split per meter, validation MAE as the loss (the paper's).
 * Per seed, both tuners get the same budget and the same training seed, so trials differ only in their
 * hyperparameters; the share is (trials BO needed) / budget. Trials are kept affordable by training on a fixed
 * seeded sample of the training windows and scoring a fixed sample of the validation windows, the same for every
 * trial and tuner.
 */
public final class DayAheadTuning {
    private DayAheadTuning() {}

    /**
     * @param weeks             weeks of data from the first row, every channel
     * @param inputLength       L
     * @param trainWindows      training windows per trial (a fixed sample)
     * @param validationWindows validation windows scored per trial (a fixed sample)
     * @param budget            trials per tuner and seed
     * @param seeds             tuner seeds 1 .. seeds
     * @param tuned             the MLP hyperparameters searched (all of its search space, or e.g. the paper's three:
     *                          learning rate, regularization, batch size)
     * @param fixed             MLP settings not tuned (epochs, patience; width and depth when not searched)
     */
    public record Config(int weeks, int inputLength, int trainWindows, int validationWindows, int budget, int seeds,
            List<String> tuned, Hyperparameters fixed) {
        public static final List<String> PAPER_SPACE = List.of(MlpForecaster.LEARNING_RATE, MlpForecaster.L2,
                MlpForecaster.BATCH_SIZE);

        public Config {
            tuned = List.copyOf(tuned);
        }

        public static Config defaults() {
            return new Config(16, 336, 1000, 1500, 20, 8, MlpForecaster.nmlp().searchSpace().dimensions().stream()
                    .map(io.imlma.ml.tune.Dimension::name).toList(), Hyperparameters.of(Map.of(
                    MlpForecaster.EPOCHS, 10.0, MlpForecaster.PATIENCE, 3.0, MlpForecaster.WIDTH, 64.0,
                    MlpForecaster.DEPTH, 1.0)));
        }
    }

    /**
     * One seed's pair of runs.
     *
     * @param trialsToReach trials BO needed to reach {@code randomBest} (its best ≤ random's final best), or 0 if it
     *                      did not within the budget
     */
    public record SeedResult(long seed, double randomBest, double bayesBest, int trialsToReach, double[] randomCurve,
            double[] bayesCurve, double randomSeconds, double bayesSeconds) {
        public boolean reached() {
            return trialsToReach > 0;
        }

        /** BO's share of the budget, 1 when it did not reach random search's best (a lower bound then). */
        public double share(int budget) {
            return reached() ? (double) trialsToReach / budget : 1.0;
        }
    }

    /**
     * @param meanShare     mean over seeds of BO's share (not reached counts as 100 %)
     * @param medianShare   median of the same
     * @param reached       seeds where BO reached random search's final best within the budget
     * @param meanCurveTrials trials after which BO's best-so-far averaged over seeds is at or below random search's
     *                      final best averaged over seeds (0 if never within the budget)
     * @param trainWindows  training windows before sampling; {@code validationWindows} likewise
     */
    public record Result(Config config, List<SeedResult> seeds, double meanShare, double medianShare, int reached,
            int meanCurveTrials, int trainWindows, int validationWindows, String loss) {}

    public static Result run(EttData data, Config config, Consumer<SeedResult> progress) {
        HorizonSpec spec = new HorizonSpec(config.inputLength(), HorizonSpec.DAY_OF_15_MINUTE_INTERVALS, true,
                ZoneId.of("UTC"));
        Windows.Split split = Windows.split(Series.fromRows(featureRows(data, config.weeks() * 7 * 96)), spec,
                0.70, 0.15);
        Windows train = split.train().subsample(config.trainWindows(), 1);
        Windows validation = split.validation().subsample(config.validationWindows(), 2);
        MlpForecaster mlp = new MlpForecaster("mlp", Normalization.LAST_SCALED).withDefaults(config.fixed());
        HorizonObjective objective = new HorizonObjective(mlp, train, validation, Metric.MAE);
        List<io.imlma.ml.tune.Dimension> dimensions = mlp.searchSpace().dimensions().stream()
                .filter(d -> config.tuned().contains(d.name())).toList();
        if (dimensions.size() != config.tuned().size()) {
            throw new IllegalArgumentException("tuned hyperparameters " + config.tuned() + " are not all in the MLP's"
                    + " search space " + mlp.searchSpace().dimensions());
        }
        SearchSpace space = new SearchSpace(dimensions);
        TuningBudget budget = new TuningBudget(config.budget(), 1, 0, 7);
        List<SeedResult> results = new ArrayList<>();
        for (long seed = 1; seed <= config.seeds(); seed++) {
            long started = System.nanoTime();
            TuningResult random = TuningDriver.run(new RandomSearch(space, seed), objective, budget);
            double randomSeconds = (System.nanoTime() - started) / 1e9;
            started = System.nanoTime();
            TuningResult bayes = TuningDriver.run(new BayesianOptimizer(space, seed), objective, budget);
            double bayesSeconds = (System.nanoTime() - started) / 1e9;
            double[] randomCurve = random.bestLossCurve();
            double[] bayesCurve = bayes.bestLossCurve();
            double target = randomCurve[randomCurve.length - 1];
            int reach = 0;
            for (int k = 0; k < bayesCurve.length && reach == 0; k++) {
                if (bayesCurve[k] <= target) {
                    reach = k + 1;
                }
            }
            SeedResult result = new SeedResult(seed, target, bayesCurve[bayesCurve.length - 1], reach, randomCurve,
                    bayesCurve, randomSeconds, bayesSeconds);
            progress.accept(result);
            results.add(result);
        }
        double[] shares = results.stream().mapToDouble(r -> r.share(config.budget())).sorted().toArray();
        double median = shares.length % 2 == 1 ? shares[shares.length / 2]
                : (shares[shares.length / 2 - 1] + shares[shares.length / 2]) / 2;
        double randomFinal = results.stream().mapToDouble(SeedResult::randomBest).average().orElseThrow();
        int meanCurveTrials = 0;
        for (int k = 0; k < config.budget() && meanCurveTrials == 0; k++) {
            int trial = k;
            if (results.stream().mapToDouble(r -> r.bayesCurve()[trial]).average().orElseThrow() <= randomFinal) {
                meanCurveTrials = k + 1;
            }
        }
        return new Result(config, List.copyOf(results), Arrays.stream(shares).average().orElseThrow(), median,
                (int) results.stream().filter(SeedResult::reached).count(), meanCurveTrials, split.train().size(),
                split.validation().size(), "validation MAE");
    }

    /** Each channel's first {@code rows} rows as the streaming job's feature rows of meter {@code ETTm1/<channel>}. */
    static List<FeatureRow> featureRows(EttData data, int rows) {
        int n = Math.min(rows, data.rows());
        long interval = data.times()[1] - data.times()[0];
        List<FeatureRow> featureRows = new ArrayList<>(n * data.channels().size());
        for (String channel : data.channels()) {
            double[] values = data.channel(channel);
            for (int r = 0; r < n; r++) {
                long start = data.times()[r];
                featureRows.add(new FeatureRow("ETTm1/" + channel, start, start + interval, values[r], values[r],
                        values[r], 1, 0.0, false, false, start + interval));
            }
        }
        return featureRows;
    }
}
