package io.imlma.api;

import io.imlma.common.types.Prediction;
import java.util.Optional;

/** The forecasts the streaming job issued: /predict answers with the latest for a meter the job serves. */
@FunctionalInterface
public interface IssuedForecasts {
    /** The newest forecast (by issue time) of {@code meterId} by {@code modelName}, if one was issued. */
    Optional<Prediction> latest(String modelName, String meterId);
}
