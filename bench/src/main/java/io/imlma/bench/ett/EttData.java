package io.imlma.bench.ett;

import io.imlma.common.ett.EttFiles;
import io.imlma.common.ett.EttFormatException;
import io.imlma.common.ett.EttHeader;
import io.imlma.common.ett.EttLineParser;
import io.imlma.common.ett.EttRow;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An ETT-format table ({@code date,HUFL,HULL,MUFL,MULL,LUFL,LULL,OT}, one row per interval), plain or gzip —
 * decided by the file's first bytes, not its name ({@link EttFiles}).
 *
 * @param channels  column names after {@code date}
 * @param times     row start times, epoch ms (dates read as UTC)
 * @param values    per channel, the column's values in row order
 */
public record EttData(List<String> channels, long[] times, double[][] values) {
    public EttData {
        channels = List.copyOf(channels);
    }

    public int rows() {
        return times.length;
    }

    public double[] channel(String name) {
        int index = channels.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("no channel " + name + " in " + channels);
        }
        return values[index];
    }

    /** The file's rows, parsed as the streaming job parses them ({@link EttLineParser}); a malformed line fails. */
    public static EttData read(Path file) throws IOException {
        try (BufferedReader reader = EttFiles.reader(file)) {
            return read(reader);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    static EttData read(BufferedReader reader) throws IOException {
        String header = reader.readLine();
        if (header == null || !EttHeader.isHeader(header)) {
            throw new IllegalArgumentException("not an ETT table: no header line, got " + header);
        }
        EttLineParser parser;
        try {
            parser = new EttLineParser(EttHeader.parse(header));
        } catch (EttFormatException e) {
            throw new IllegalArgumentException("header: " + e.getMessage(), e);
        }
        List<String> channels = parser.header().channels();
        List<EttRow> rows = new ArrayList<>();
        String line;
        int lineNumber = 1;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            try {
                EttRow row = parser.parse(line);
                if (row != null) {
                    rows.add(row);
                }
            } catch (EttFormatException e) {
                throw new IllegalArgumentException("line " + lineNumber + ": " + e.getMessage(), e);
            }
        }
        long[] times = new long[rows.size()];
        double[][] values = new double[channels.size()][rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            times[r] = rows.get(r).timestamp();
            for (int c = 0; c < channels.size(); c++) {
                values[c][r] = rows.get(r).values()[c];
            }
        }
        return new EttData(channels, times, values);
    }
}
