package io.imlma.registry;

import java.time.Instant;

/**
 * One change of champion, in the order they happened.
 *
 * @param fromVersion the champion replaced, or {@code null} for the model's first champion
 */
public record Promotion(
        long id,
        String modelName,
        Integer fromVersion,
        int toVersion,
        PromotionKind kind,
        Instant at,
        String by,
        String reason) {}
