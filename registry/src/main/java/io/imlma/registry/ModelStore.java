package io.imlma.registry;

import io.imlma.common.config.Option;
import io.imlma.common.config.Settings;
import io.imlma.common.integrity.FileDigest;
import io.imlma.common.integrity.IntegrityException;
import io.imlma.common.integrity.IntegrityStore;
import io.imlma.common.integrity.IntegrityVerifier;
import io.imlma.common.types.Alarm;
import io.imlma.ml.horizon.ModelArtifact;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model files the registry's versions point to, in an {@link IntegrityStore}: written with their SHA-256 and a
 * backup copy; before use checked against the SHA-256 the registry recorded, restored from the backup when the
 * primary copy is bad and refused when the backup is bad too (see {@link IntegrityVerifier}). The integrity alarms
 * of every check, repaired or not, go to the alarm sink (e.g. the registry's alarm table, shown on the web page's
 * timeline). Paths are relative to the store, as the registry keeps them: {@code <model>/v<version>/model.json}.
 */
public final class ModelStore implements ArtifactVerifier {
    public static final String FILE_NAME = "model.json";

    public static final Option<URI> PATH = Option.uri("model.store.path")
            .description("Where model files are written and read (hdfs://..., file:/... or a path).");
    public static final Option<URI> BACKUP_PATH = Option.uri("model.store.backup-path")
            .description("The model files' backup copy, restored from on a checksum mismatch; must differ from"
                    + " model.store.path.");
    public static final List<Option<?>> OPTIONS = List.of(PATH, BACKUP_PATH);

    private static final Logger LOG = LoggerFactory.getLogger(ModelStore.class);

    private final IntegrityStore store;
    private final IntegrityVerifier verifier;
    private final Consumer<Alarm> alarms;

    public ModelStore(IntegrityStore store, Clock clock, Consumer<Alarm> alarms) {
        this.store = store;
        this.verifier = new IntegrityVerifier(store, clock);
        this.alarms = alarms;
    }

    /** The store {@link #PATH} and {@link #BACKUP_PATH} name; fails naming the backup when both are one place. */
    public static IntegrityStore location(Settings settings) {
        URI store = PATH.value(settings);
        URI backup = BACKUP_PATH.value(settings);
        Settings.require(!store.normalize().equals(backup.normalize()), BACKUP_PATH.key(),
                "must differ from " + PATH.key() + " (" + store + "): the backup is the second copy");
        return new IntegrityStore(store, backup);
    }

    public static String relativePath(String modelName, int version) {
        return modelName + "/v" + version + "/" + FILE_NAME;
    }

    /** Writes the artifact, its {@code .sha256} and the backup copies; returns the SHA-256. */
    public String write(String relativePath, ModelArtifact artifact) throws IOException {
        return store.write(relativePath, artifact.toBytes());
    }

    /**
     * Checks (and if needed restores) the file; the registry's check before a version is promoted, rolled back to or
     * served. Alarms are passed on whether or not the file could be repaired.
     */
    @Override
    public void verify(String relativePath, String sha256) throws IntegrityException {
        try {
            raise(verifier.verifyFile(relativePath, sha256).alarms());
        } catch (IntegrityException e) {
            raise(e.report().alarms());
            throw e;
        }
    }

    /**
     * The verified artifact; the bytes parsed are checked against {@code sha256} once more as they are read, so a
     * file changed between the check and the read is not served either.
     */
    public ModelArtifact load(String relativePath, String sha256) throws IntegrityException, IOException {
        verify(relativePath, sha256);
        Path file = store.primary(relativePath);
        byte[] bytes;
        try (InputStream in = file.getFileSystem().open(file)) {
            bytes = in.readAllBytes();
        }
        String read = FileDigest.sha256(bytes);
        if (!read.equalsIgnoreCase(sha256)) {
            throw new IOException("model file " + file + " changed while it was read: SHA-256 " + read + ", expected "
                    + sha256);
        }
        return ModelArtifact.fromBytes(bytes);
    }

    private void raise(List<Alarm> raised) {
        for (Alarm alarm : raised) {
            try {
                alarms.accept(alarm);
            } catch (RuntimeException e) {
                // the check's outcome stands; the alarm is still in the log
                LOG.error("Could not record integrity alarm {}: {}", alarm.alarmId(), e.toString());
            }
        }
    }
}
