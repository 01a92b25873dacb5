package io.imlma.udf.trigger;

import io.imlma.common.types.RetrainReason;

/**
 * A request from outside the trigger to retrain now: an operator's (POST /train, {@link RetrainReason#MANUAL}) or
 * the drift monitor's ({@link RetrainReason#DRIFT}), which reaches the trigger through the retrain-commands topic.
 * In JSON, a record without a reason is an operator's.
 *
 * @param modelName   model to retrain
 * @param requestedBy who asked, for the log
 * @param requestedAt time of the request, epoch ms (wall clock for operators, event time for drift)
 * @param reason      {@link RetrainReason#MANUAL} (bypasses the trigger's minimum interval) or
 *                    {@link RetrainReason#DRIFT} (keeps it)
 */
public record ManualRetrain(String modelName, String requestedBy, long requestedAt, RetrainReason reason) {
    public ManualRetrain {
        reason = reason == null ? RetrainReason.MANUAL : reason;
        if (reason != RetrainReason.MANUAL && reason != RetrainReason.DRIFT) {
            throw new IllegalArgumentException("a retrain command is MANUAL or DRIFT, not " + reason);
        }
    }

    /** An operator's request. */
    public ManualRetrain(String modelName, String requestedBy, long requestedAt) {
        this(modelName, requestedBy, requestedAt, RetrainReason.MANUAL);
    }
}
