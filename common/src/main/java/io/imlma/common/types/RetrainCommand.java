package io.imlma.common.types;

/**
 * A request from outside the trigger to retrain now: an operator's (POST /train, {@link RetrainReason#MANUAL}) or
 * the drift monitor's ({@link RetrainReason#DRIFT}). Both reach the trigger as the same record, through the
 * retrain-commands topic (or, in the demo, an in-process queue). In JSON, a record without a reason is an
 * operator's.
 *
 * @param modelName   model to retrain
 * @param requestedBy who asked, for the log (the API adds its request id)
 * @param requestedAt time of the request, epoch ms (wall clock for operators, event time for drift)
 * @param reason      {@link RetrainReason#MANUAL} (bypasses the trigger's minimum interval) or
 *                    {@link RetrainReason#DRIFT} (keeps it)
 */
public record RetrainCommand(String modelName, String requestedBy, long requestedAt, RetrainReason reason) {
    public RetrainCommand {
        reason = reason == null ? RetrainReason.MANUAL : reason;
        if (reason != RetrainReason.MANUAL && reason != RetrainReason.DRIFT) {
            throw new IllegalArgumentException("a retrain command is MANUAL or DRIFT, not " + reason);
        }
    }

    /** An operator's request. */
    public static RetrainCommand manual(String modelName, String requestedBy, long requestedAt) {
        return new RetrainCommand(modelName, requestedBy, requestedAt, RetrainReason.MANUAL);
    }
}
