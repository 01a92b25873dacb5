package io.imlma.ml.horizon;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A fitted multi-horizon model: the last L interval values of one series in, the next H out. One model serves
 * every series it was trained on (channel-independent). Saved and loaded with {@link HorizonModelCodec}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LinearHorizonModel.class, name = "linear-horizon"),
    @JsonSubTypes.Type(value = MlpHorizonModel.class, name = "mlp-horizon"),
    @JsonSubTypes.Type(value = PersistenceModel.class, name = "persistence"),
    @JsonSubTypes.Type(value = SeasonalNaiveModel.class, name = "seasonal-naive")
})
public interface HorizonModel {
    HorizonSpec spec();

    /**
     * Writes the forecast of the H intervals from {@code issueTime} into {@code out}, from the L values
     * {@code values[from, from + L)}, oldest first. The hot path: no copy of the inputs.
     */
    void forecastInto(double[] values, int from, long issueTime, double[] out);

    /**
     * The forecast of the H intervals starting at {@code issueTime} (epoch ms, the first forecast interval's start)
     * from at least L recent interval values, oldest first; the last L are used.
     */
    default double[] forecast(double[] recentOldestFirst, long issueTime) {
        int l = spec().inputLength();
        if (recentOldestFirst.length < l) {
            throw new IllegalArgumentException("need " + l + " recent values, got " + recentOldestFirst.length);
        }
        double[] out = new double[spec().horizon()];
        forecastInto(recentOldestFirst, recentOldestFirst.length - l, issueTime, out);
        return out;
    }
}
