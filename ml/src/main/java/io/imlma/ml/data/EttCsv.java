package io.imlma.ml.data;

import io.imlma.common.ett.EttFiles;
import io.imlma.common.ett.EttFormatException;
import io.imlma.common.ett.EttLineParser;
import io.imlma.common.ett.EttRow;
import io.imlma.common.features.FeatureSettings;
import io.imlma.common.features.IntervalAccumulator;
import io.imlma.common.features.MeterFeatures;
import io.imlma.common.types.FeatureRow;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one channel of an ETT-format file as the feature rows the streaming job produces for it, with the job's own
 * parser ({@link EttLineParser}) and feature rules ({@link MeterFeatures}): readings grouped into intervals, gaps
 * imputed by the running mean, z-scores against the statistics so far. The file is read in order, so the rows are
 * those of a replay with no duplicates and nothing late. Plain or gzip files, told apart by their content.
 */
public final class EttCsv {
    /** The data set of the bundled file, for streams that have no file name. */
    private static final String ETTM1 = "ETTm1";

    private EttCsv() {}

    /** Rows of {@code channel}, as meter {@code <file base name>/<channel>}; see {@link #read(InputStream, String,
     * String, int, int, FeatureSettings)}. */
    public static List<FeatureRow> read(Path file, String channel, int skipRows, int maxRows) throws IOException {
        return read(file, channel, skipRows, maxRows, FeatureSettings.DEFAULTS);
    }

    public static List<FeatureRow> read(Path file, String channel, int skipRows, int maxRows,
            FeatureSettings settings) throws IOException {
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            return read(in, EttFiles.datasetName(file.getFileName().toString()), channel, skipRows, maxRows,
                    settings);
        }
    }

    /** Rows of {@code channel} of the ETTm1 data, as meter {@code ETTm1/<channel>}. */
    public static List<FeatureRow> read(InputStream in, String channel, int skipRows, int maxRows) throws IOException {
        return read(in, ETTM1, channel, skipRows, maxRows, FeatureSettings.DEFAULTS);
    }

    /**
     * The first {@code maxRows} feature rows of {@code channel} from data line {@code skipRows} on (counted from 0;
     * the statistics start there too, as for a stream that starts there).
     *
     * @throws IOException for a malformed line or lines out of time order, naming the line
     */
    public static List<FeatureRow> read(InputStream in, String dataset, String channel, int skipRows, int maxRows,
            FeatureSettings settings) throws IOException {
        BufferedReader reader = EttFiles.reader(in);
        EttLineParser parser = new EttLineParser();
        String meterId = EttFiles.meterId(dataset, channel);
        MeterFeatures features = new MeterFeatures();
        List<FeatureRow> rows = new ArrayList<>();
        IntervalAccumulator open = null;
        long openStart = 0;
        long lastTimestamp = Long.MIN_VALUE;
        int dataLines = 0;
        int lineNumber = 0;
        String line;
        while (rows.size() < maxRows && (line = reader.readLine()) != null) {
            lineNumber++;
            EttRow row;
            try {
                row = parser.parse(line);
            } catch (EttFormatException e) {
                throw new IOException("line " + lineNumber + " of " + dataset + ": " + e.getMessage());
            }
            if (row == null) {
                continue; // a header: the parser now reads the columns it names
            }
            int column = parser.header().channelIndex(channel);
            if (column < 0) {
                throw new IllegalArgumentException("no channel " + channel + " in header " + parser.header());
            }
            if (dataLines++ < skipRows) {
                continue;
            }
            if (row.timestamp() <= lastTimestamp) {
                throw new IOException("line " + lineNumber + " of " + dataset + " is not later than the line before");
            }
            lastTimestamp = row.timestamp();
            long start = settings.intervalStart(row.timestamp());
            if (open != null && start != openStart) {
                features.observe(meterId, openStart, open, settings, rows::add);
                open = null;
            }
            if (open == null) {
                open = new IntervalAccumulator();
                openStart = start;
            }
            // the interval's end as ingest time: the earliest the streaming job could have had the reading
            open.add(row.values()[column], start + settings.intervalMillis());
        }
        if (open != null && rows.size() < maxRows) {
            features.observe(meterId, openStart, open, settings, rows::add);
        }
        return rows.size() > maxRows ? new ArrayList<>(rows.subList(0, maxRows)) : rows;
    }
}
