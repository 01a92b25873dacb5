package io.imlma.api;

import io.imlma.common.registry.ModelVersion;
import io.imlma.ml.eval.Metrics;
import java.time.Instant;

/**
 * Evaluates a registered model version on the stored data of an event-time range (POST /evaluate), supplied by the
 * embedding application, which knows where the snapshots are. An {@link IllegalArgumentException} means the range
 * cannot be evaluated (e.g. no data in it) and is reported to the caller as such.
 */
@FunctionalInterface
public interface Evaluator {
    Metrics evaluate(ModelVersion version, Instant from, Instant to) throws Exception;
}
