package io.imlma.common.types;

/**
 * A forecast of a meter's next 15-minute mean.
 *
 * @param targetWindowStart start of the interval being forecast, epoch ms
 * @param forecast          forecast of the raw mean (not standardized)
 * @param scoredAt          wall-clock time of scoring, epoch ms
 * @param eventTime         window end of the newest input row, epoch ms
 * @param ingestTime        ingestion time of the newest reading behind it, epoch ms
 * @param receivedAt        wall-clock time its feature row reached the scorer, epoch ms ({@code scoredAt −
 *                          receivedAt} is the scoring delay)
 */
public record Prediction(
        String meterId,
        long targetWindowStart,
        double forecast,
        String modelName,
        int modelVersion,
        long scoredAt,
        long eventTime,
        long ingestTime,
        long receivedAt) {}
