package io.imlma.common.integrity;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * SHA-256, byte size and line count of a file, computed in one streamed pass (files may be larger than memory).
 * Line count is the number of {@code '\n'} bytes: the row count of a JSON-lines snapshot file.
 */
public record FileDigest(String sha256, long bytes, long lines) {
    private static final int BUFFER = 64 * 1024;

    public static FileDigest of(Path file) throws IOException {
        FileSystem fs = file.getFileSystem();
        try (InputStream in = fs.open(file)) {
            return of(in);
        }
    }

    public static FileDigest of(InputStream in) throws IOException {
        MessageDigest digest = sha256Digest();
        byte[] buffer = new byte[BUFFER];
        long bytes = 0;
        long lines = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            digest.update(buffer, 0, n);
            bytes += n;
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    lines++;
                }
            }
        }
        return new FileDigest(HexFormat.of().formatHex(digest.digest()), bytes, lines);
    }

    public static String sha256(byte[] content) {
        return HexFormat.of().formatHex(sha256Digest().digest(content));
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides SHA-256", e);
        }
    }
}
