package io.imlma.ml.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A fitted model: feature vector in, forecast out. Saved and loaded with {@link ModelCodec}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LinearModel.class, name = "linear"),
    @JsonSubTypes.Type(value = MlpModel.class, name = "mlp"),
    @JsonSubTypes.Type(value = ScaledModel.class, name = "scaled")
})
public interface Model {
    double predict(double[] features);

    default double[] predictAll(double[][] rows) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = predict(rows[i]);
        }
        return out;
    }
}
