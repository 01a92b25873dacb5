package io.imlma.common.integrity;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.flink.core.fs.Path;

/**
 * A directory tree kept twice: every file lives under the primary base and, as a backup copy, under the same
 * relative path below a second base (another directory or another HDFS cluster). Works on any URI scheme Flink's
 * file systems serve (file://, hdfs://).
 */
public final class IntegrityStore implements Serializable {
    private static final long serialVersionUID = 1L;

    private final URI primaryBase;
    private final URI backupBase;

    public IntegrityStore(URI primaryBase, URI backupBase) {
        this.primaryBase = withTrailingSlash(primaryBase);
        this.backupBase = withTrailingSlash(backupBase);
        if (this.primaryBase.equals(this.backupBase)) {
            throw new IllegalArgumentException("backup base must differ from primary base: " + primaryBase);
        }
    }

    public URI primaryBase() {
        return primaryBase;
    }

    public URI backupBase() {
        return backupBase;
    }

    public Path primary(String relativePath) {
        return new Path(primaryBase.resolve(relativePath));
    }

    public Path backup(String relativePath) {
        return new Path(backupBase.resolve(relativePath));
    }

    /**
     * Writes {@code content} to the primary and the backup location, each atomically, with a {@code .sha256}
     * checksum file beside each ({@code sha256sum} format); returns the SHA-256 (model files are written this way).
     */
    public String write(String relativePath, byte[] content) throws IOException {
        String sha256 = FileDigest.sha256(content);
        byte[] checksumLine = (sha256 + "  " + primary(relativePath).getName() + "\n").getBytes(StandardCharsets.UTF_8);
        for (Path target : new Path[] {primary(relativePath), backup(relativePath)}) {
            AtomicFiles.write(target, content);
            AtomicFiles.write(checksumFile(target), checksumLine);
        }
        return sha256;
    }

    /**
     * Copies the primary file to the backup location unless an identical backup is there already (idempotent), and
     * checks the copy against {@code expectedSha256}.
     */
    public void backUp(String relativePath, String expectedSha256) throws IOException {
        Path backup = backup(relativePath);
        if (backup.getFileSystem().exists(backup) && FileDigest.of(backup).sha256().equals(expectedSha256)) {
            return;
        }
        AtomicFiles.copy(primary(relativePath), backup);
        String copied = FileDigest.of(backup).sha256();
        if (!copied.equals(expectedSha256)) {
            throw new IOException("backup copy of " + relativePath + " has SHA-256 " + copied + ", expected "
                    + expectedSha256);
        }
    }

    private static Path checksumFile(Path file) {
        return new Path(file.getParent(), file.getName() + ".sha256");
    }

    /** Stores over the same two bases are the same store (so configurations holding one compare by value). */
    @Override
    public boolean equals(Object other) {
        return other instanceof IntegrityStore store && primaryBase.equals(store.primaryBase)
                && backupBase.equals(store.backupBase);
    }

    @Override
    public int hashCode() {
        return Objects.hash(primaryBase, backupBase);
    }

    @Override
    public String toString() {
        return "IntegrityStore[" + primaryBase + ", backup " + backupBase + "]";
    }

    private static URI withTrailingSlash(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") ? uri : URI.create(s + "/");
    }
}
