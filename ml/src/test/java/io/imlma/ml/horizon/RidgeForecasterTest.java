package io.imlma.ml.horizon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.imlma.ml.model.Hyperparameters;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RidgeForecasterTest {
    private static final ZoneId UTC = ZoneId.of("UTC");

    private static HorizonModel fit(RidgeForecaster factory, Windows windows, double l2, int kernel) {
        return factory.create(Hyperparameters.of(Map.of(RidgeForecaster.L2, l2, RidgeForecaster.KERNEL_SIZE,
                (double) kernel)), 1).fit(windows, windows);
    }

    /**
     * Series 0, 1, 2, 3, 4 with L = 1, H = 1: pairs (x, y) = (0, 1), (1, 2), (2, 3), (3, 4). var(x) = cov(x, y) =
     * 1.25; the penalty is λ·var(x), so w = cov / (var·(1 + λ)) = 1 / (1 + λ) and b = mean(y) − w·mean(x).
     */
    @Test
    void closedFormRidgeMatchesTheHandComputedSolution() {
        Windows windows = Windows.all(List.of(Series.measured("s", 0, 1, new double[] {0, 1, 2, 3, 4})),
                new HorizonSpec(1, 1, false, UTC));
        LinearHorizonModel unpenalized = (LinearHorizonModel) fit(RidgeForecaster.linear(), windows, 0.0, 0);
        assertThat(unpenalized.weights()[0]).isCloseTo(1.0, within(1e-12));
        assertThat(unpenalized.bias()[0]).isCloseTo(1.0, within(1e-12));

        LinearHorizonModel ridge = (LinearHorizonModel) fit(RidgeForecaster.linear(), windows, 1.0, 0);
        assertThat(ridge.weights()[0]).isCloseTo(0.5, within(1e-12));
        assertThat(ridge.bias()[0]).isCloseTo(2.5 - 0.5 * 1.5, within(1e-12));
        assertThat(ridge.forecast(new double[] {10}, 0)).containsExactly(new double[] {6.75}, within(1e-12));
    }

    /** NLinear learns the change from the last value: on a line of slope 2 it forecasts last + 2h exactly. */
    @Test
    void nlinearForecastsFromTheLastValue() {
        double[] line = new double[40];
        for (int i = 0; i < line.length; i++) {
            line[i] = 5 + 2 * i;
        }
        Windows windows = Windows.all(List.of(Series.measured("s", 0, 1, line)), new HorizonSpec(3, 2, false, UTC));
        HorizonModel model = fit(RidgeForecaster.nlinear(), windows, 1e-6, 0);
        assertThat(model.forecast(new double[] {1000, 1002, 1004}, 0))
                .containsExactly(new double[] {1006, 1008}, within(1e-6));
    }

    /**
     * DLinear's trend and remainder maps fold into one map: nearly unpenalized, it is the same least-squares fit as
     * Linear (up to the conditioning of the decomposed features).
     */
    @Test
    void dlinearFoldsIntoTheSameFunctionClassAsLinear() {
        double[] values = new double[300];
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.sin(i / 5.0) + 0.3 * Math.cos(i / 2.3) + 0.001 * i;
        }
        HorizonSpec spec = new HorizonSpec(10, 3, true, UTC);
        Windows windows = Windows.all(List.of(Series.measured("s", 0, 900_000, values)), spec);
        RidgeForecaster factory = RidgeForecaster.dlinear();
        HorizonModel dlinear = fit(factory, windows, 1e-9, 5);
        HorizonModel linear = fit(factory, windows, 1e-9, 0);
        double[] input = java.util.Arrays.copyOfRange(values, 100, 110);
        assertThat(dlinear.forecast(input, 123_456_789L))
                .containsExactly(linear.forecast(input, 123_456_789L), within(1e-3));
        assertThat(HorizonEvaluation.of(dlinear, windows).mse())
                .isLessThan(0.1 * HorizonEvaluation.of(new PersistenceModel(spec.withInputLength(1)), windows).mse());
    }

    @Test
    void theMovingAverageRepeatsTheEndValues() {
        HorizonSpec spec = new HorizonSpec(4, 1, false, UTC);
        org.hipparchus.linear.RealMatrix t = RidgeForecaster.decomposition(spec, 3);
        // trend of x = (x0, x1, x2, x3) with ends padded: (x0 + x0 + x1) / 3, ..., (x2 + x3 + x3) / 3
        double[] trend = t.operate(new double[] {3, 6, 9, 30});
        assertThat(trend).containsExactly(new double[] {4, 6, 15, 23, -1, 0, -6, 7}, within(1e-12));
    }
}
