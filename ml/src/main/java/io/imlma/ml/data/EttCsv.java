package io.imlma.ml.data;

import io.imlma.common.types.FeatureRow;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.hipparchus.stat.descriptive.StreamingStatistics;

/**
 * Reads one channel of the bundled ETTm1 file ({@code date,HUFL,...,OT}, 15-minute rows) as the feature rows the
 * streaming job would have produced for it: every interval measured once, z-score against the statistics so far.
 */
public final class EttCsv {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final long INTERVAL_MS = Duration.ofMinutes(15).toMillis();
    private static final int WARM_UP_INTERVALS = 96;

    private EttCsv() {}

    public static List<FeatureRow> read(Path gzFile, String channel, int skipRows, int maxRows) throws IOException {
        try (InputStream in = Files.newInputStream(gzFile)) {
            return read(in, channel, skipRows, maxRows);
        }
    }

    /** Rows {@code skipRows .. skipRows + maxRows - 1} of {@code channel}, as meter {@code "ETTm1/" + channel}. */
    public static List<FeatureRow> read(InputStream gz, String channel, int skipRows, int maxRows) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(gz), StandardCharsets.UTF_8));
        String header = reader.readLine();
        if (header == null) {
            throw new IOException("empty ETT file");
        }
        int column = Arrays.asList(header.split(",")).indexOf(channel);
        if (column < 1) {
            throw new IllegalArgumentException("no channel " + channel + " in header " + header);
        }
        String meterId = "ETTm1/" + channel;
        StreamingStatistics stats = new StreamingStatistics();
        List<FeatureRow> rows = new ArrayList<>();
        String line;
        int index = 0;
        while ((line = reader.readLine()) != null && rows.size() < maxRows) {
            if (index++ < skipRows) {
                continue;
            }
            String[] fields = line.split(",");
            long start = LocalDateTime.parse(fields[0], DATE).toInstant(ZoneOffset.UTC).toEpochMilli();
            double value = Double.parseDouble(fields[column]);
            stats.addValue(value);
            double sd = stats.getStandardDeviation();
            double z = sd > 0 ? (value - stats.getMean()) / sd : 0.0;
            rows.add(new FeatureRow(meterId, start, start + INTERVAL_MS, value, value, value, 1, z, false,
                    stats.getN() < WARM_UP_INTERVALS, start + INTERVAL_MS));
        }
        return rows;
    }
}
