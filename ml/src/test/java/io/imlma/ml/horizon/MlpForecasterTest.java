package io.imlma.ml.horizon;

import static org.assertj.core.api.Assertions.assertThat;

import io.imlma.ml.eval.Metrics;
import io.imlma.ml.model.Hyperparameters;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MlpForecasterTest {

    /**
     * A wave whose next four values are a nonlinear function of the last eight (|sin|, a rectified wave): the
     * network's vector output must learn all four steps, far better than persistence.
     */
    @Test
    void learnsAMultiOutputFunction() {
        double[] values = new double[1500];
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.abs(Math.sin(2 * Math.PI * i / 23.0)) + 0.5 * Math.abs(Math.sin(2 * Math.PI * i / 7.0));
        }
        HorizonSpec spec = new HorizonSpec(16, 4, false, ZoneId.of("UTC"));
        Windows.Split split = Windows.split(List.of(Series.measured("s", 0, 1, values)), spec, 0.7, 0.15);
        MlpForecaster factory = new MlpForecaster("mlp", Normalization.NONE);
        HorizonModel model = factory.create(Hyperparameters.of(Map.of(
                MlpForecaster.LEARNING_RATE, 3e-3, MlpForecaster.WIDTH, 64.0, MlpForecaster.DEPTH, 2.0,
                MlpForecaster.BATCH_SIZE, 32.0, MlpForecaster.EPOCHS, 200.0, MlpForecaster.PATIENCE, 20.0)), 7)
                .fit(split.train(), split.validation());

        Metrics mlp = HorizonEvaluation.of(model, split.test());
        Metrics persistence = HorizonEvaluation.of(new PersistenceModel(spec.withInputLength(1)), split.test());
        assertThat(model).isInstanceOf(MlpHorizonModel.class);
        assertThat(((MlpHorizonModel) model).layers()).hasSize(3);
        assertThat(mlp.mse()).isLessThan(0.02 * persistence.mse());
        assertThat(mlp.r2()).isGreaterThan(0.98);
    }

    /**
     * With a skip path the network corrects a ridge fit; it starts exactly at the ridge's forecast (zero output
     * weights), and early stopping on validation never lets it end worse there than that start.
     */
    @Test
    void aSkipPathStartsAtTheRidgeFitAndEndsNoWorseOnValidation() {
        double[] values = new double[1200];
        values[0] = 0.4;
        for (int i = 1; i < values.length; i++) {
            values[i] = 3.8 * values[i - 1] * (1 - values[i - 1]); // the logistic map: no linear model predicts it
        }
        HorizonSpec spec = new HorizonSpec(4, 2, false, ZoneId.of("UTC"));
        Windows.Split split = Windows.split(List.of(Series.measured("s", 0, 1, values)), spec, 0.7, 0.15);
        HorizonModel ridge = RidgeForecaster.nlinear().create(Hyperparameters.of(Map.of(RidgeForecaster.L2, 0.01)), 1)
                .fit(split.train(), split.validation());
        Hyperparameters untrained = Hyperparameters.of(Map.of(MlpForecaster.EPOCHS, 0.0, MlpForecaster.SKIP_L2, 0.01,
                MlpForecaster.WIDTH, 16.0));
        HorizonModel start = MlpForecaster.nmlp().create(untrained, 1).fit(split.train(), split.validation());
        double[] input = java.util.Arrays.copyOfRange(values, 500, 504);
        assertThat(start.forecast(input, 0)).containsExactly(ridge.forecast(input, 0),
                org.assertj.core.api.Assertions.within(1e-12));

        HorizonModel trained = MlpForecaster.nmlp().create(Hyperparameters.of(Map.of(MlpForecaster.EPOCHS, 40.0,
                MlpForecaster.SKIP_L2, 0.01, MlpForecaster.WIDTH, 32.0, MlpForecaster.LEARNING_RATE, 3e-3)), 1)
                .fit(split.train(), split.validation());
        assertThat(((MlpHorizonModel) trained).skip()).isNotNull();
        assertThat(HorizonEvaluation.of(trained, split.validation()).mse())
                .isLessThan(HorizonEvaluation.of(ridge, split.validation()).mse());
    }

    @Test
    void theSameSeedGivesTheSameModel() {
        double[] values = new double[400];
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.sin(i / 4.0);
        }
        HorizonSpec spec = new HorizonSpec(8, 2, false, ZoneId.of("UTC"));
        Windows.Split split = Windows.split(List.of(Series.measured("s", 0, 1, values)), spec, 0.7, 0.15);
        Hyperparameters hp = Hyperparameters.of(Map.of(MlpForecaster.EPOCHS, 3.0, MlpForecaster.WIDTH, 8.0));
        HorizonModel first = MlpForecaster.nmlp().create(hp, 3).fit(split.train(), split.validation());
        HorizonModel second = MlpForecaster.nmlp().create(hp, 3).fit(split.train(), split.validation());
        assertThat(HorizonModelCodec.toBytes(first)).isEqualTo(HorizonModelCodec.toBytes(second));
    }
}
