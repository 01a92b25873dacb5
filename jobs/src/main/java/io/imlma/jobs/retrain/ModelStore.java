package io.imlma.jobs.retrain;

import io.imlma.common.integrity.FileDigest;
import io.imlma.common.integrity.IntegrityException;
import io.imlma.common.integrity.IntegrityStore;
import io.imlma.common.integrity.IntegrityVerifier;
import io.imlma.common.integrity.VerificationReport;
import io.imlma.common.types.Alarm;
import io.imlma.ml.model.ModelArtifact;
import io.imlma.registry.ArtifactVerifier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.function.Consumer;
import org.apache.flink.core.fs.Path;

/**
 * Model files in an {@link IntegrityStore}: written with their SHA-256 and a backup copy, and on load checked
 * against the SHA-256 the registry recorded, restored from the backup when the primary copy is bad and refused when
 * the backup is bad too. Every integrity alarm goes to the given sink. Paths are relative to the store, as the
 * registry keeps them: {@code <model>/v<version>/model.json}.
 */
public final class ModelStore {
    public static final String FILE_NAME = "model.json";

    private final IntegrityStore store;
    private final IntegrityVerifier verifier;
    private final Consumer<Alarm> alarms;

    public ModelStore(IntegrityStore store, Clock clock, Consumer<Alarm> alarms) {
        this.store = store;
        this.verifier = new IntegrityVerifier(store, clock);
        this.alarms = alarms;
    }

    public static String relativePath(String modelName, int version) {
        return modelName + "/v" + version + "/" + FILE_NAME;
    }

    /** Writes the artifact, its {@code .sha256} and the backup copies; returns the SHA-256. */
    public String write(String relativePath, ModelArtifact artifact) throws IOException {
        return store.write(relativePath, artifact.toBytes());
    }

    /** Checks (and if needed restores) the file; alarms are passed on whether or not it could be repaired. */
    public VerificationReport verify(String relativePath, String sha256) throws IntegrityException {
        try {
            VerificationReport report = verifier.verifyFile(relativePath, sha256);
            report.alarms().forEach(alarms);
            return report;
        } catch (IntegrityException e) {
            e.report().alarms().forEach(alarms);
            throw e;
        }
    }

    /** The verified artifact; the bytes parsed are checked against {@code sha256} once more as they are read. */
    public ModelArtifact load(String relativePath, String sha256) throws IntegrityException, IOException {
        verify(relativePath, sha256);
        Path path = store.primary(relativePath);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (InputStream in = path.getFileSystem().open(path)) {
            in.transferTo(buffer);
        }
        byte[] bytes = buffer.toByteArray();
        String actual = FileDigest.sha256(bytes);
        if (!actual.equalsIgnoreCase(sha256)) {
            throw new IOException("model file " + path + " changed after verification: SHA-256 " + actual
                    + ", expected " + sha256);
        }
        return ModelArtifact.fromBytes(bytes);
    }

    /** For the registry, which checks an artifact before it promotes or serves a version. */
    public ArtifactVerifier artifactVerifier() {
        return this::verify;
    }
}
