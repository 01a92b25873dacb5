package io.imlma.common.integrity;

import io.imlma.common.json.Json;
import io.imlma.common.types.FeatureRow;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Reads the feature rows of verified snapshot partitions: exactly the files their manifests list (never a
 * directory listing, so late files are not read), each checked again against its SHA-256 while it is read, so a
 * file changed after {@link IntegrityVerifier#verifySnapshot} is not used either.
 */
public final class SnapshotReader {
    private final IntegrityStore store;

    public SnapshotReader(IntegrityStore store) {
        this.store = store;
    }

    /** Rows of all listed files whose interval starts in {@code range}, in manifest and file order. */
    public List<FeatureRow> read(List<SnapshotManifest> manifests, TimeRange range) throws IOException {
        List<FeatureRow> rows = new ArrayList<>();
        for (SnapshotManifest manifest : manifests) {
            for (SnapshotManifest.ManifestFile file : manifest.files()) {
                String relative = manifest.partitionId() + "/" + file.path();
                byte[] content = readVerified(store.primary(relative), file.sha256());
                for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
                    if (line.isEmpty()) {
                        continue;
                    }
                    FeatureRow row = parse(line, relative);
                    if (range.contains(row.windowStart())) {
                        rows.add(row);
                    }
                }
            }
        }
        return rows;
    }

    private static byte[] readVerified(Path path, String sha256) throws IOException {
        FileSystem fs = path.getFileSystem();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (InputStream in = fs.open(path)) {
            in.transferTo(buffer);
        }
        byte[] content = buffer.toByteArray();
        String actual = FileDigest.sha256(content);
        if (!actual.equalsIgnoreCase(sha256)) {
            throw new IOException("snapshot file " + path + " changed after verification: SHA-256 " + actual
                    + ", manifest says " + sha256);
        }
        return content;
    }

    private static FeatureRow parse(String line, String file) throws IOException {
        try {
            return Json.read(line, FeatureRow.class);
        } catch (RuntimeException e) {
            throw new IOException("unreadable feature row in " + file + ": " + e.getMessage(), e);
        }
    }
}
