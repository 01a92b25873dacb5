package io.imlma.common.types;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A meter's forecast of its next H interval means, issued when an interval closed: step {@code k} (0-based) is the
 * mean of the interval starting at {@link #targetTime(int) issueTime + k · intervalMillis}.
 *
 * @param issueTime      start of the first forecast interval (the end of the interval that just closed), epoch ms
 * @param intervalMillis length of one interval
 * @param forecast       forecasts of the raw means (not standardized), one per step, nearest first
 * @param scoredAt       wall-clock time of scoring, epoch ms
 * @param eventTime      window end of the newest input row, epoch ms
 * @param ingestTime     ingestion time of the newest reading behind it, epoch ms
 * @param receivedAt     wall-clock time its feature row reached the scorer, epoch ms ({@code scoredAt −
 *                       receivedAt} is the scoring delay)
 */
public record Prediction(
        String meterId,
        long issueTime,
        long intervalMillis,
        double[] forecast,
        String modelName,
        int modelVersion,
        long scoredAt,
        long eventTime,
        long ingestTime,
        long receivedAt) {

    /** Steps in the forecast, H. */
    public int horizon() {
        return forecast.length;
    }

    /** Start of the interval step {@code step} forecasts, epoch ms. */
    public long targetTime(int step) {
        return issueTime + step * intervalMillis;
    }

    /** Every step's target interval start, epoch ms; written to JSON beside the values, so readers need not derive them. */
    @JsonProperty(value = "targetTimes", access = JsonProperty.Access.READ_ONLY)
    public long[] targetTimes() {
        long[] times = new long[forecast.length];
        for (int k = 0; k < times.length; k++) {
            times[k] = targetTime(k);
        }
        return times;
    }
}
