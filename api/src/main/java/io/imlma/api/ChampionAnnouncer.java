package io.imlma.api;

import io.imlma.common.types.ModelUpdate;

/**
 * Tells the serving streaming job that a model's champion changed through the API (a promotion or a rollback), so
 * that its scorer swaps as it does for the loop's own promotions; any exception means the job was not told.
 */
@FunctionalInterface
public interface ChampionAnnouncer {
    void announce(ModelUpdate champion) throws Exception;
}
