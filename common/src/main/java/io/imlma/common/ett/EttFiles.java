package io.imlma.common.ett;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Opening ETT-format files: plain or gzip, told apart by the content (gzip's magic bytes), not by the file name. */
public final class EttFiles {
    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;

    private EttFiles() {}

    /** The file's text, decompressed if it is gzip. */
    public static BufferedReader reader(Path file) throws IOException {
        return reader(Files.newInputStream(file));
    }

    /** The stream's text (UTF-8), decompressed if it is gzip. */
    public static BufferedReader reader(InputStream in) throws IOException {
        return new BufferedReader(new InputStreamReader(decompressIfGzip(in), StandardCharsets.UTF_8));
    }

    /** {@code in} itself (buffered) if its first two bytes are not gzip's magic number, else its decompression. */
    public static InputStream decompressIfGzip(InputStream in) throws IOException {
        InputStream buffered = in.markSupported() ? in : new BufferedInputStream(in);
        buffered.mark(2);
        int first = buffered.read();
        int second = buffered.read();
        buffered.reset();
        return first == GZIP_MAGIC_1 && second == GZIP_MAGIC_2 ? new GZIPInputStream(buffered, 64 * 1024) : buffered;
    }

    /** The data set a file holds, its base name: {@code ETTm1} for {@code /data/ETTm1.csv.gz}; prefix of meter ids. */
    public static String datasetName(String fileName) {
        String base = fileName.substring(fileName.lastIndexOf('/') + 1);
        int dot = base.indexOf('.');
        return dot > 0 ? base.substring(0, dot) : base;
    }

    /** Meter id of one channel: {@code ETTm1/HUFL}. */
    public static String meterId(String dataset, String channel) {
        return dataset + "/" + channel;
    }
}
