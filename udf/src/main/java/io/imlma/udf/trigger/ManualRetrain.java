package io.imlma.udf.trigger;

/**
 * An operator's request to retrain now (POST /train).
 *
 * @param modelName   model to retrain
 * @param requestedBy who asked, for the log
 * @param requestedAt wall-clock time of the request, epoch ms
 */
public record ManualRetrain(String modelName, String requestedBy, long requestedAt) {}
