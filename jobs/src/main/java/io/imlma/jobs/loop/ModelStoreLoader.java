package io.imlma.jobs.loop;

import io.imlma.common.integrity.IntegrityStore;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.ModelUpdate;
import io.imlma.ml.horizon.ModelArtifact;
import io.imlma.registry.ModelStore;
import io.imlma.udf.serve.ChampionLoader;
import java.time.Clock;
import java.util.function.Consumer;

/** Loads champions from the model store: SHA-256 checked, restored from the backup copy, refused when both are bad. */
public record ModelStoreLoader(IntegrityStore store) implements ChampionLoader {
    @Override
    public ModelArtifact load(ModelUpdate update, Consumer<Alarm> alarms) throws Exception {
        return new ModelStore(store, Clock.systemUTC(), alarms).load(update.artifactPath(), update.sha256());
    }
}
