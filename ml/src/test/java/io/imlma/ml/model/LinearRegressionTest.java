package io.imlma.ml.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.imlma.ml.data.Dataset;
import java.util.List;
import java.util.Map;
import org.hipparchus.random.Well19937c;
import org.junit.jupiter.api.Test;

class LinearRegressionTest {
    private static final double[] TRUE_WEIGHTS = {3.0, -2.0, 0.5};
    private static final double TRUE_BIAS = 10.0;

    /** y = 3 x1 − 2 x2 + 0.5 x3 + 10 + noise(0.05), features on different scales. */
    static Dataset synthetic(int n, long seed) {
        Well19937c random = new Well19937c(seed);
        double[][] x = new double[n][];
        double[] y = new double[n];
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            x[i] = new double[] {random.nextGaussian(), 5 + 3 * random.nextGaussian(), 100 * random.nextDouble()};
            y[i] = TRUE_BIAS + 0.05 * random.nextGaussian();
            for (int j = 0; j < 3; j++) {
                y[i] += TRUE_WEIGHTS[j] * x[i][j];
            }
            times[i] = i * 900_000L;
        }
        return new Dataset(x, y, times, new double[n], new double[n], List.of("a", "b", "c"));
    }

    private static Model fit(EstimatorFactory factory, Map<String, Double> hp, long seed) {
        Dataset.Split split = synthetic(2000, 7).split();
        return factory.create(Hyperparameters.of(hp), seed).fit(split.train(), split.validation());
    }

    @Test
    void recoversKnownCoefficients() {
        Model model = fit(new LinearRegression(), Map.of("learningRate", 0.05, "l2", 1e-7, "batchSize", 32.0), 1);

        double intercept = model.predict(new double[3]);
        assertThat(intercept).isCloseTo(TRUE_BIAS, within(0.05));
        for (int j = 0; j < 3; j++) {
            double[] unit = new double[3];
            unit[j] = 1;
            assertThat(model.predict(unit) - intercept).as("weight %d", j).isCloseTo(TRUE_WEIGHTS[j], within(0.02));
        }
    }

    @Test
    void strongRegularizationShrinksTheWeights() {
        Model model = fit(new LinearRegression(), Map.of("learningRate", 0.05, "l2", 0.5, "batchSize", 32.0), 1);

        double slope = model.predict(new double[] {1, 0, 0}) - model.predict(new double[3]);
        assertThat(Math.abs(slope)).isLessThan(0.8 * TRUE_WEIGHTS[0]);
    }

    @Test
    void saveAndLoadGiveIdenticalPredictions() {
        Dataset test = synthetic(200, 99);
        for (EstimatorFactory factory : List.of(new LinearRegression(), new MlpRegression())) {
            Model model = fit(factory, Map.of("epochs", 5.0), 3);

            Model loaded = ModelCodec.fromBytes(ModelCodec.toBytes(model));

            assertThat(loaded).as(factory.name()).isInstanceOf(ScaledModel.class);
            assertThat(loaded.predictAll(test.features())).as(factory.name())
                    .containsExactly(model.predictAll(test.features()));
        }
    }

    @Test
    void sameSeedSameModelOtherSeedOtherModel() {
        for (EstimatorFactory factory : List.of(new LinearRegression(), new MlpRegression())) {
            Map<String, Double> hp = Map.of("epochs", 3.0, "batchSize", 16.0);
            byte[] first = ModelCodec.toBytes(fit(factory, hp, 42));
            byte[] again = ModelCodec.toBytes(fit(factory, hp, 42));
            byte[] other = ModelCodec.toBytes(fit(factory, hp, 43));

            assertThat(again).as(factory.name()).isEqualTo(first);
            assertThat(other).as(factory.name()).isNotEqualTo(first);
        }
    }

    @Test
    void mlpLearnsANonlinearFunctionALinearModelCannot() {
        Well19937c random = new Well19937c(5);
        int n = 1500;
        double[][] x = new double[n][];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = new double[] {4 * random.nextDouble() - 2};
            y[i] = x[i][0] * x[i][0] + 0.05 * random.nextGaussian();
        }
        Dataset.Split split = new Dataset(x, y, new long[n], new double[n], new double[n], List.of("x")).split();
        Map<String, Double> hp = Map.of("learningRate", 0.01, "batchSize", 16.0, "hiddenUnits", 16.0, "epochs", 100.0);

        double mlpMse = io.imlma.ml.eval.Metrics.of(new MlpRegression().create(Hyperparameters.of(hp), 1)
                .fit(split.train(), split.validation()), split.test()).mse();
        double linearMse = io.imlma.ml.eval.Metrics.of(new LinearRegression().create(Hyperparameters.of(hp), 1)
                .fit(split.train(), split.validation()), split.test()).mse();

        assertThat(mlpMse).isLessThan(0.1 * linearMse);
    }
}
