package io.imlma.api;

import java.time.Instant;

/**
 * An operator's request to retrain a model now (POST /train).
 *
 * @param requestId   unique id given by the API and returned to the caller, to follow the request
 * @param requestedBy who asked, as given in the request ({@code "api"} when not given)
 * @param reason      why, as given in the request
 */
public record ManualRetrain(String requestId, String modelName, String requestedBy, String reason,
        Instant requestedAt) {}
