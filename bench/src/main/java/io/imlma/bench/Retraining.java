package io.imlma.bench;

import io.imlma.ml.data.Dataset;
import io.imlma.ml.eval.Metric;
import io.imlma.ml.eval.Metrics;
import io.imlma.ml.model.Hyperparameters;
import io.imlma.ml.model.LinearRegression;
import io.imlma.ml.model.Model;
import io.imlma.ml.tune.BayesianOptimizer;
import io.imlma.ml.tune.ForecastObjective;
import io.imlma.ml.tune.TuningBudget;
import io.imlma.ml.tune.TuningDriver;

/**
 * The retraining step the experiments repeat, with the system's pieces: the data of a time window, split 70/15/15
 * in time order, a linear model tuned by Bayesian optimization on the validation part (or the defaults when no
 * trials are asked for); the test part is where candidate and champion are compared.
 */
final class Retraining {
    static final long TRAINING_SEED = 7;

    /** A trained candidate and the rows it is judged on. */
    record Candidate(Model model, Dataset.Split split, long dataFrom, long dataTo, double fitSeconds) {
        Metrics testMetrics() {
            return Metrics.of(model, split.test());
        }
    }

    private Retraining() {}

    static Candidate train(Dataset all, long dataFrom, long dataTo, int tuningTrials, long tunerSeed) {
        Dataset.Split split = all.window(dataFrom, dataTo).split();
        long started = System.nanoTime();
        LinearRegression factory = new LinearRegression();
        Hyperparameters parameters = factory.defaults();
        if (tuningTrials > 0) {
            ForecastObjective objective = new ForecastObjective(factory, split.train(), split.validation(), Metric.MAE);
            parameters = TuningDriver.run(new BayesianOptimizer(factory.searchSpace(), tunerSeed), objective,
                    new TuningBudget(tuningTrials, 1, 0, TRAINING_SEED)).best().parameters();
        }
        Model model = factory.create(parameters, TRAINING_SEED).fit(split.train(), split.validation());
        return new Candidate(model, split, dataFrom, dataTo, (System.nanoTime() - started) / 1e9);
    }
}
