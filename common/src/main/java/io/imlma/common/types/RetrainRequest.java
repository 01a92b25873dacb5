package io.imlma.common.types;

/**
 * A decision that the model is stale, with its reason and the snapshot data it names.
 *
 * @param requestId   unique and stable for the same data: launchers are idempotent on it
 * @param modelName   model to retrain
 * @param reason      what fired
 * @param dataFrom    start of the snapshot range, event time epoch ms (inclusive)
 * @param dataTo      end of the snapshot range, event time epoch ms (exclusive); only committed partitions
 * @param d0          rows the current model was trained on
 * @param deltaD      rows added since
 * @param requestedAt event time of the decision, epoch ms
 */
public record RetrainRequest(
        String requestId,
        String modelName,
        RetrainReason reason,
        long dataFrom,
        long dataTo,
        long d0,
        long deltaD,
        long requestedAt) {}
