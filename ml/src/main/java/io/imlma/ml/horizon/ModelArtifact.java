package io.imlma.ml.horizon;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.imlma.common.json.Json;
import io.imlma.ml.eval.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The model file: a trained multi-horizon model with everything needed to serve and audit it — its
 * {@link HorizonSpec} (inside the model), the hyperparameters, its test metrics and the data range it was trained
 * on. Written as JSON; its SHA-256 is kept in the registry and checked on every load.
 *
 * @param formatVersion  version of this file layout
 * @param testMetrics    errors over every test window and every horizon step
 * @param residualStd    standard deviation of the validation residuals (every step), for stability thresholds
 * @param dataFrom       start of the training snapshot range, event time epoch ms (inclusive)
 * @param dataTo         end of the training snapshot range, event time epoch ms (exclusive)
 */
public record ModelArtifact(
        int formatVersion,
        String modelName,
        String trainer,
        Map<String, Double> hyperparameters,
        Metrics testMetrics,
        double residualStd,
        long dataFrom,
        long dataTo,
        long trainedAt,
        HorizonModel model) {

    /** 2: multi-horizon models; the one-step files of format 1 are refused (retrain to replace them). */
    public static final int FORMAT_VERSION = 2;

    /**
     * The forecast of the next {@link #horizon()} intervals, the first starting at {@code issueTime} (epoch ms),
     * from at least {@link #requiredHistory()} preceding interval means, oldest first.
     */
    public double[] forecast(double[] recentMeansOldestFirst, long issueTime) {
        return model.forecast(recentMeansOldestFirst, issueTime);
    }

    @JsonIgnore
    public HorizonSpec spec() {
        return model.spec();
    }

    /** Intervals one forecast covers. */
    @JsonIgnore
    public int horizon() {
        return model.spec().horizon();
    }

    /** Interval means of history a forecast needs. */
    @JsonIgnore
    public int requiredHistory() {
        return model.spec().inputLength();
    }

    public byte[] toBytes() {
        try {
            return Json.MAPPER.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ModelArtifact fromBytes(byte[] bytes) {
        int format;
        try {
            format = Json.MAPPER.readTree(bytes).path("formatVersion").asInt(-1);
        } catch (IOException e) {
            throw new UncheckedIOException("not a model file: " + e.getMessage(), e);
        }
        if (format != FORMAT_VERSION) {
            throw new IllegalArgumentException("unsupported model file format " + format + ", expected "
                    + FORMAT_VERSION + (format == 1 ? " (a one-step model of an earlier release: retrain to replace it)"
                    : ""));
        }
        try {
            return Json.MAPPER.readValue(bytes, ModelArtifact.class);
        } catch (IOException e) {
            throw new UncheckedIOException("not a model file: " + e.getMessage(), e);
        }
    }
}
