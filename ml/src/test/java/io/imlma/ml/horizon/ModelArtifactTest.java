package io.imlma.ml.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imlma.ml.data.Dataset;
import io.imlma.ml.data.FeatureBuilder;
import io.imlma.ml.data.FeatureSpec;
import io.imlma.ml.eval.Metrics;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelArtifactTest {

    @Test
    void roundTripKeepsForecastsAndMetadata() {
        FeatureSpec spec = new FeatureSpec(3, 4, true, ZoneId.of("Europe/Berlin"));
        Dataset.Split split = LinearRegressionTest.synthetic(600, 3).split();
        // the synthetic set has 3 features: fit on it, then serve through a 3-lag spec without calendar columns
        FeatureSpec threeLags = new FeatureSpec(3, 4, false, spec.zone());
        Model model = new LinearRegression().create(new LinearRegression().defaults(), 5)
                .fit(split.train(), split.validation());
        ModelArtifact artifact = new ModelArtifact(ModelArtifact.FORMAT_VERSION, "load", "linear", threeLags,
                Map.of("l2", 1e-4), new Metrics(10, 0.5, 0.4, 0.9), 0.7, 1_000L, 2_000L, 3_000L, model);

        ModelArtifact loaded = ModelArtifact.fromBytes(artifact.toBytes());

        double[] recent = {1.5, 6.0, 42.0};
        long target = 1_700_000_000_000L;
        assertThat(loaded.forecast(recent, target)).isEqualTo(artifact.forecast(recent, target));
        assertThat(loaded.forecast(recent, target))
                .isEqualTo(model.predict(new FeatureBuilder(threeLags).features(recent, target)));
        assertThat(loaded.features()).isEqualTo(threeLags);
        assertThat(loaded.testMetrics()).isEqualTo(artifact.testMetrics());
        assertThat(loaded.hyperparameters()).containsEntry("l2", 1e-4);
        assertThat(loaded.requiredHistory()).isEqualTo(3);
    }

    @Test
    void refusesOtherFilesAndFormats() {
        assertThatThrownBy(() -> ModelArtifact.fromBytes("{\"hello\":".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not a model file");
        assertThatThrownBy(() -> ModelArtifact.fromBytes("{\"formatVersion\":99}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("unsupported model file format 99");
    }
}
