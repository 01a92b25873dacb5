package io.imlma.api;

import io.imlma.common.integrity.FileDigest;
import io.imlma.common.integrity.IntegrityException;
import io.imlma.common.integrity.IntegrityStore;
import io.imlma.common.integrity.IntegrityVerifier;
import io.imlma.common.types.Alarm;
import io.imlma.ml.model.ModelArtifact;
import io.imlma.registry.ArtifactVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Model files in the model store, read only after their SHA-256 matched the registry's (a bad primary copy is
 * restored from the backup first, see {@link IntegrityVerifier}). The integrity alarms of every check, repaired
 * or not, go to the alarm sink (the registry's alarm table, shown on the web page's timeline).
 */
public final class ModelFiles implements ArtifactVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(ModelFiles.class);

    private final IntegrityStore store;
    private final IntegrityVerifier verifier;
    private final Consumer<Alarm> alarms;

    public ModelFiles(IntegrityStore store, IntegrityVerifier verifier, Consumer<Alarm> alarms) {
        this.store = store;
        this.verifier = verifier;
        this.alarms = alarms;
    }

    /** The registry's check before a version is promoted or rolled back to. */
    @Override
    public void verify(String artifactPath, String expectedSha256) throws IntegrityException {
        try {
            raise(verifier.verifyFile(artifactPath, expectedSha256).alarms());
        } catch (IntegrityException e) {
            raise(e.report().alarms());
            throw e;
        }
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

    /**
     * Verifies (restoring from backup if needed) and loads a model file; the bytes read are checked once more, so
     * a file changed between the check and the read is not served either.
     */
    public ModelArtifact load(String artifactPath, String expectedSha256) throws IntegrityException, IOException {
        verify(artifactPath, expectedSha256);
        Path file = store.primary(artifactPath);
        byte[] bytes;
        try (InputStream in = file.getFileSystem().open(file)) {
            bytes = in.readAllBytes();
        }
        String read = FileDigest.sha256(bytes);
        if (!read.equalsIgnoreCase(expectedSha256)) {
            throw new IOException("model file " + file + " changed while it was read: SHA-256 " + read + ", expected "
                    + expectedSha256);
        }
        return ModelArtifact.fromBytes(bytes);
    }
}
