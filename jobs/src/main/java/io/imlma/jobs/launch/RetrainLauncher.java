package io.imlma.jobs.launch;

import io.imlma.common.types.RetrainRequest;
import java.util.concurrent.CompletableFuture;

/**
 * Starts the batch retraining job for a request, asynchronously and at most once per request id: a second launch
 * with the same id returns the first one's outcome (its future while it runs) and starts nothing. The future
 * completes with an outcome, never exceptionally: a job that could not start or failed is a
 * {@link LaunchOutcome.Status#FAILED} outcome with the cause in its message.
 */
public interface RetrainLauncher extends AutoCloseable {
    CompletableFuture<LaunchOutcome> launch(RetrainRequest request);

    /** Stops accepting launches; running jobs are not cancelled. */
    @Override
    void close();
}
