package io.imlma.ml.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.imlma.common.json.Json;
import io.imlma.ml.data.FeatureBuilder;
import io.imlma.ml.data.FeatureSpec;
import io.imlma.ml.eval.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The model file: a trained model with everything needed to serve and audit it — the feature recipe, the
 * hyperparameters, its test metrics and the data range it was trained on. Written as JSON; its SHA-256 is kept in
 * the registry and checked on every load.
 *
 * @param formatVersion  version of this file layout
 * @param dataFrom       start of the training snapshot range, event time epoch ms (inclusive)
 * @param dataTo         end of the training snapshot range, event time epoch ms (exclusive)
 * @param residualStd    standard deviation of the validation residuals, for stability thresholds
 */
public record ModelArtifact(
        int formatVersion,
        String modelName,
        String trainer,
        FeatureSpec features,
        Map<String, Double> hyperparameters,
        Metrics testMetrics,
        double residualStd,
        long dataFrom,
        long dataTo,
        long trainedAt,
        Model model) {

    public static final int FORMAT_VERSION = 1;

    /** Forecast of the interval starting at {@code targetWindowStart} from the preceding interval means, oldest first. */
    public double forecast(double[] recentMeansOldestFirst, long targetWindowStart) {
        return model.predict(new FeatureBuilder(features).features(recentMeansOldestFirst, targetWindowStart));
    }

    /** Interval means of history a forecast needs. */
    @JsonIgnore
    public int requiredHistory() {
        return features.lags();
    }

    public byte[] toBytes() {
        try {
            return Json.MAPPER.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ModelArtifact fromBytes(byte[] bytes) {
        try {
            ModelArtifact artifact = Json.MAPPER.readValue(bytes, ModelArtifact.class);
            if (artifact.formatVersion() != FORMAT_VERSION) {
                throw new IllegalArgumentException("unsupported model file format " + artifact.formatVersion()
                        + ", expected " + FORMAT_VERSION);
            }
            return artifact;
        } catch (IOException e) {
            throw new UncheckedIOException("not a model file: " + e.getMessage(), e);
        }
    }
}
