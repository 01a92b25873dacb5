package io.imlma.api;

import io.imlma.ml.horizon.ModelArtifact;
import io.imlma.registry.ModelRegistry;
import io.imlma.registry.ModelStore;
import io.imlma.registry.ModelVersion;
import io.imlma.registry.RegistryException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The champion model of each model name, as /predict serves it. The registry is asked which version is champion
 * at most once per recheck interval (a cheap query), so promotions and rollbacks made anywhere are followed
 * without a restart; {@link #forget} makes changes made through this API apply at once. A version's model file is
 * verified and loaded once, when it first becomes champion, and kept per version, so rolling back is instant.
 */
public final class ServedChampions {
    private static final Logger LOG = LoggerFactory.getLogger(ServedChampions.class);

    /** A champion ready to forecast. */
    public record Served(ModelVersion version, ModelArtifact artifact) {}

    /** The outcome of the last lookup: a champion, or the reason there is none to serve. */
    private record Lookup(Served served, ApiException failure, long checkedAtNanos) {}

    private record VersionKey(String modelName, int version) {}

    private final ModelRegistry registry;
    private final ModelStore models;
    private final long recheckNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Lookup> lookups = new ConcurrentHashMap<>();
    private final Map<String, Object> lookupLocks = new ConcurrentHashMap<>();
    private final Map<VersionKey, ModelArtifact> loaded = new ConcurrentHashMap<>();

    public ServedChampions(ModelRegistry registry, ModelStore models, Duration recheck, LongSupplier nanoTime) {
        this.registry = registry;
        this.models = models;
        this.recheckNanos = recheck.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * The champion of {@code modelName}.
     *
     * @throws ApiException 404 for an unknown model, 503 when it has no champion or the champion's model file
     *     failed its integrity check and could not be restored
     */
    public Served champion(String modelName) {
        Lookup lookup = fresh(lookups.get(modelName));
        if (lookup == null) {
            synchronized (lookupLocks.computeIfAbsent(modelName, name -> new Object())) {
                lookup = fresh(lookups.get(modelName));
                if (lookup == null) {
                    lookup = lookUp(modelName, lookups.get(modelName));
                    lookups.put(modelName, lookup);
                }
            }
        }
        if (lookup.failure() != null) {
            throw lookup.failure();
        }
        return lookup.served();
    }

    /** Drops what is known about the champion of {@code modelName}; the next request asks the registry. */
    public void forget(String modelName) {
        lookups.remove(modelName);
    }

    private Lookup fresh(Lookup lookup) {
        return lookup != null && nanoTime.getAsLong() - lookup.checkedAtNanos() < recheckNanos ? lookup : null;
    }

    private Lookup lookUp(String modelName, Lookup previous) {
        long now = nanoTime.getAsLong();
        ModelVersion champion;
        try {
            champion = registry.champion(modelName).orElse(null);
            if (champion == null) {
                return new Lookup(null, registry.versions(modelName).isEmpty()
                        ? new ApiException(404, "no model named '" + modelName + "' is registered")
                        : new ApiException(503, "model '" + modelName + "' has no champion yet; promote a version"),
                        now);
            }
        } catch (RegistryException e) {
            if (previous != null && previous.served() != null) {
                // keep forecasting with the last known champion while the registry is unreachable
                LOG.warn("Registry unreachable, still serving {} v{}: {}", modelName,
                        previous.served().version().version(), e.getMessage());
                return new Lookup(previous.served(), null, now);
            }
            throw new ApiException(503, "the model registry is unreachable: " + e.getMessage(), e);
        }
        VersionKey key = new VersionKey(modelName, champion.version());
        ModelArtifact artifact = loaded.get(key);
        if (artifact == null) {
            try {
                artifact = models.load(champion.artifactPath(), champion.artifactSha256());
            } catch (Exception e) {
                LOG.error("Cannot serve {} v{}: {}", modelName, champion.version(), e.getMessage());
                return new Lookup(null, new ApiException(503, "the champion of '" + modelName + "' (v"
                        + champion.version() + ") cannot be served: its model file " + champion.artifactPath()
                        + " failed to load: " + e.getMessage(), e), now);
            }
            loaded.put(key, artifact);
            LOG.info("Serving {} v{} from {}", modelName, champion.version(), champion.artifactPath());
        }
        return new Lookup(new Served(champion, artifact), null, now);
    }
}
