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
