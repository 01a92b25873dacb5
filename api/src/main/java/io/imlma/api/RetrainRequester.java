package io.imlma.api;

import io.imlma.common.types.RetrainCommand;

/**
 * Hands a manual retraining request to whatever starts training runs (the trigger/launcher wired in by the
 * embedding application). It should only accept the request, not wait for the training to finish; any exception
 * means the request was not accepted.
 */
@FunctionalInterface
public interface RetrainRequester {
    void request(RetrainCommand command) throws Exception;
}
