package io.imlma.ml.tune;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.hipparchus.random.Well19937c;
import org.junit.jupiter.api.Test;

class BayesianOptimizerTest {
    private static final long[] SEEDS = {1, 2, 3, 4, 5};
    private static final SearchSpace UNIT_SQUARE =
            new SearchSpace(Dimension.linear("u0", 0, 1), Dimension.linear("u1", 0, 1));
    private static final SearchSpace UNIT_LINE = new SearchSpace(Dimension.linear("x", 0, 1));
    /** Branin target: within 0.1 of the global minimum. */
    private static final double BRANIN_TARGET = TestFunctions.BRANIN_MINIMUM + 0.1;

    /** Evaluations until {@code function} first drops to {@code target}, or {@code cap + 1} if it never does. */
    private static int evaluationsToTarget(Tuner tuner, ToDoubleFunction<double[]> function, double target,
                                           int cap, int roundSize) {
        int evaluations = 0;
        while (evaluations < cap) {
            for (TrialPoint point : tuner.propose(Math.min(roundSize, cap - evaluations))) {
                double value = function.applyAsDouble(point.unit());
                tuner.observe(point, value);
                evaluations++;
                if (value <= target) {
                    return evaluations;
                }
            }
        }
        return cap + 1;
    }

    private static double median(int[] values) {
        int[] sorted = values.clone();
        Arrays.sort(sorted);
        return (sorted[(sorted.length - 1) / 2] + sorted[sorted.length / 2]) / 2.0;
    }

    @Test
    void findsTheBraninMinimumInEverySeedWithFarFewerEvaluationsThanRandomSearch() {
        int[] bayesian = new int[SEEDS.length];
        int[] random = new int[SEEDS.length];
        for (int i = 0; i < SEEDS.length; i++) {
            bayesian[i] = evaluationsToTarget(new BayesianOptimizer(UNIT_SQUARE, SEEDS[i]),
                    TestFunctions::branin, BRANIN_TARGET, 60, 1);
            random[i] = evaluationsToTarget(new RandomSearch(UNIT_SQUARE, SEEDS[i]),
                    TestFunctions::branin, BRANIN_TARGET, 5000, 1);
        }

        assertThat(Arrays.stream(bayesian).boxed()).as("BO evaluations to reach %.3f per seed", BRANIN_TARGET).allMatch(e -> e <= 60);
        assertThat(median(random)).as("random %s vs BO %s", Arrays.toString(random), Arrays.toString(bayesian))
                .isGreaterThan(3 * median(bayesian));
    }

    @Test
    void batchProposalsSpreadOutAndStillFindTheBraninMinimum() {
        for (long seed : new long[] {11, 12, 13}) {
            BayesianOptimizer tuner = new BayesianOptimizer(UNIT_SQUARE, seed);
            int evaluations = evaluationsToTarget(tuner, TestFunctions::branin, BRANIN_TARGET, 80, 4);

            assertThat(evaluations).as("seed %d", seed).isLessThanOrEqualTo(80);
        }
        BayesianOptimizer tuner = new BayesianOptimizer(UNIT_SQUARE, 21);
        for (TrialPoint p : tuner.propose(6)) {
            tuner.observe(p, TestFunctions.branin(p.unit()));
        }
        List<TrialPoint> round = tuner.propose(4);
        for (int a = 0; a < round.size(); a++) {
            for (int b = a + 1; b < round.size(); b++) {
                double distance = Math.hypot(round.get(a).unit()[0] - round.get(b).unit()[0],
                        round.get(a).unit()[1] - round.get(b).unit()[1]);
                assertThat(distance).as("points %d and %d of one round", a, b).isGreaterThan(1e-3);
            }
        }
    }

    @Test
    void findsTheMinimumOfANoisyOneDimensionalFunction() {
        for (long seed : SEEDS) {
            Well19937c noise = new Well19937c(100 + seed);
            BayesianOptimizer tuner = new BayesianOptimizer(UNIT_LINE, seed);
            for (int i = 0; i < 25; i++) {
                for (TrialPoint p : tuner.propose(1)) {
                    tuner.observe(p, TestFunctions.forrester(p.unit()[0]) + 0.2 * noise.nextGaussian());
                }
            }

            assertThat(tuner.recommend()[0]).as("seed %d", seed)
                    .isCloseTo(TestFunctions.FORRESTER_ARGMIN, org.assertj.core.api.Assertions.within(0.03));
        }
    }

    @Test
    void gaussianProcessInterpolatesAndIsUncertainAwayFromData() {
        double[][] x = {{0.05}, {0.15}, {0.25}, {0.35}, {0.4}, {0.5}, {0.95}};
        double[] y = Arrays.stream(x).mapToDouble(p -> Math.sin(6 * p[0])).toArray();
        GaussianProcess gp = GaussianProcess.fit(x, y, null, 3, new Well19937c(1));

        assertThat(gp.predict(new double[] {0.4}).mean())
                .isCloseTo(Math.sin(2.4), org.assertj.core.api.Assertions.within(0.05));
        assertThat(gp.predict(new double[] {0.75}).sd()).isGreaterThan(5 * gp.predict(new double[] {0.3}).sd());
        assertThat(gp.logMarginalLikelihood()).isFinite();
    }
}
