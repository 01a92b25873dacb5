package io.imlma.udf.serve;

import io.imlma.common.types.Alarm;
import io.imlma.common.types.ModelUpdate;
import io.imlma.ml.horizon.ModelArtifact;
import java.io.Serializable;
import java.util.function.Consumer;

/**
 * Loads the model file a {@link ModelUpdate} names, after checking it against the update's SHA-256 (restoring it
 * from the backup copy when the primary is bad). Shipped with the scoring function, so it must be serializable.
 */
@FunctionalInterface
public interface ChampionLoader extends Serializable {
    /**
     * @param alarms receives the integrity alarms raised while checking, whether or not the file could be repaired
     * @throws Exception when the artifact is refused (bad checksum in both copies, unreadable, not a model file)
     */
    ModelArtifact load(ModelUpdate update, Consumer<Alarm> alarms) throws Exception;
}
