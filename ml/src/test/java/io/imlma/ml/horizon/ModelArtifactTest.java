package io.imlma.ml.horizon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imlma.ml.eval.Metrics;
import io.imlma.ml.model.Hyperparameters;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelArtifactTest {

    @Test
    void roundTripKeepsForecastsAndMetadata() {
        HorizonSpec spec = new HorizonSpec(6, 4, true, ZoneId.of("Europe/Berlin"));
        double[] values = new double[200];
        for (int i = 0; i < values.length; i++) {
            values[i] = 10 + Math.sin(i / 4.0) + 0.01 * i;
        }
        Windows windows = Windows.all(List.of(Series.measured("m", 0, 900_000, values)), spec);
        HorizonModel model = RidgeForecaster.nlinear().create(Hyperparameters.of(Map.of(RidgeForecaster.L2, 1e-3)),
                5).fit(windows, windows);
        ModelArtifact artifact = new ModelArtifact(ModelArtifact.FORMAT_VERSION, "load", "nlinear",
                Map.of("l2", 1e-3), new Metrics(10, 0.5, 0.4, 0.9), 0.7, 1_000L, 2_000L, 3_000L, model);

        ModelArtifact loaded = ModelArtifact.fromBytes(artifact.toBytes());

        double[] recent = {1.5, 6.0, 42.0, 7.0, 8.0, 9.5, 10.0};
        long issue = 1_700_000_100_000L;
        assertThat(loaded.forecast(recent, issue)).hasSize(4).containsExactly(artifact.forecast(recent, issue));
        assertThat(loaded.forecast(recent, issue)).containsExactly(model.forecast(recent, issue));
        assertThat(loaded.spec()).isEqualTo(spec);
        assertThat(loaded.horizon()).isEqualTo(4);
        assertThat(loaded.requiredHistory()).isEqualTo(6);
        assertThat(loaded.testMetrics()).isEqualTo(artifact.testMetrics());
        assertThat(loaded.hyperparameters()).containsEntry("l2", 1e-3);
    }

    @Test
    void refusesOtherFilesAndFormats() {
        assertThatThrownBy(() -> ModelArtifact.fromBytes("{\"hello\":".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not a model file");
        assertThatThrownBy(() -> ModelArtifact.fromBytes("{\"formatVersion\":99}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("unsupported model file format 99");
        assertThatThrownBy(() -> ModelArtifact.fromBytes("{\"formatVersion\":1}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("one-step model of an earlier release: retrain");
    }
}
