package io.imlma.ml.horizon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.imlma.ml.eval.Metrics;
import io.imlma.ml.model.Hyperparameters;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BaselinesAndCodecTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final double[] SERIES = {1, 2, 4, 7, 11, 16};

    /**
     * L = 2, H = 2 on 1, 2, 4, 7, 11, 16: issues 2, 3, 4 with last values 2, 4, 7 and targets (4, 7), (7, 11),
     * (11, 16); errors 2, 5, 3, 7, 4, 9.
     */
    @Test
    void persistenceErrorsMatchTheHandComputedOnes() {
        HorizonSpec spec = new HorizonSpec(2, 2, false, UTC);
        Windows windows = Windows.all(List.of(Series.measured("s", 0, 1, SERIES)), spec);
        Metrics metrics = HorizonEvaluation.of(new PersistenceModel(spec), windows);
        assertThat(windows.size()).isEqualTo(3);
        assertThat(metrics.count()).isEqualTo(6);
        assertThat(metrics.mse()).isCloseTo((4 + 25 + 9 + 49 + 16 + 81) / 6.0, within(1e-12));
        assertThat(metrics.mae()).isCloseTo(30 / 6.0, within(1e-12));
        // a persistence model reading one value scores the same windows the same way
        assertThat(HorizonEvaluation.of(new PersistenceModel(spec.withInputLength(1)), windows)).isEqualTo(metrics);
    }

    /** Period 2: forecasts (1, 2), (2, 4), (4, 7) against (4, 7), (7, 11), (11, 16); errors 3, 5, 5, 7, 7, 9. */
    @Test
    void seasonalNaiveRepeatsTheLastPeriod() {
        HorizonSpec spec = new HorizonSpec(2, 3, false, UTC);
        assertThat(new SeasonalNaiveModel(spec, 2).forecast(new double[] {5, 1, 2}, 0)).containsExactly(1, 2, 1);
        HorizonSpec two = new HorizonSpec(2, 2, false, UTC);
        Metrics metrics = HorizonEvaluation.of(new SeasonalNaiveModel(two, 2),
                Windows.all(List.of(Series.measured("s", 0, 1, SERIES)), two));
        assertThat(metrics.mae()).isCloseTo((3 + 5 + 5 + 7 + 7 + 9) / 6.0, within(1e-12));
        assertThatThrownBy(() -> new SeasonalNaiveModel(spec, 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyModelSurvivesAJsonRoundTripExactly() {
        double[] values = new double[300];
        for (int i = 0; i < values.length; i++) {
            values[i] = 3 + Math.sin(i / 7.0) + 0.1 * Math.cos(i / 1.7);
        }
        HorizonSpec spec = new HorizonSpec(24, 6, true, ZoneId.of("Europe/Berlin"));
        Windows.Split split = Windows.split(List.of(Series.measured("s", 1_700_000_000_000L, 900_000L, values)),
                spec, 0.7, 0.15);
        List<HorizonModel> models = List.of(
                RidgeForecaster.dlinear().create(Hyperparameters.of(Map.of()), 1).fit(split.train(), split.validation()),
                new MlpForecaster("mlp", Normalization.LAST_SCALED)
                        .create(Hyperparameters.of(Map.of(MlpForecaster.EPOCHS, 2.0, MlpForecaster.WIDTH, 8.0,
                                MlpForecaster.DEPTH, 2.0)), 1)
                        .fit(split.train(), split.validation()),
                MlpForecaster.nmlp()
                        .create(Hyperparameters.of(Map.of(MlpForecaster.EPOCHS, 2.0, MlpForecaster.WIDTH, 4.0,
                                MlpForecaster.SKIP_L2, 0.01)), 1)
                        .fit(split.train(), split.validation()),
                new PersistenceModel(spec),
                new SeasonalNaiveModel(spec, 12));
        double[] input = java.util.Arrays.copyOfRange(values, 200, 224);
        for (HorizonModel model : models) {
            byte[] json = HorizonModelCodec.toBytes(model);
            HorizonModel loaded = HorizonModelCodec.fromBytes(json);
            assertThat(loaded).isInstanceOf(model.getClass());
            assertThat(loaded.spec()).isEqualTo(spec);
            assertThat(loaded.forecast(input, 1_700_100_000_000L)).containsExactly(model.forecast(input, 1_700_100_000_000L));
            assertThat(HorizonModelCodec.toBytes(loaded)).isEqualTo(json);
        }
        assertThatThrownBy(() -> HorizonModelCodec.fromBytes("{\"type\":\"nope\"}".getBytes()))
                .hasMessageContaining("not a multi-horizon model file");
    }
}
