package io.imlma.ml.benchmark;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * An ETT-format table ({@code date,HUFL,HULL,MUFL,MULL,LUFL,LULL,OT}, one row per interval), plain or gzip —
 * decided by the file's first bytes, not its name.
 *
 * @param channels  column names after {@code date}
 * @param times     row start times, epoch ms (dates read as UTC)
 * @param values    per channel, the column's values in row order
 */
public record EttData(List<String> channels, long[] times, double[][] values) {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

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

    public static EttData read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    public static EttData read(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw);
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        BufferedReader reader = new BufferedReader(new InputStreamReader(gzip ? new GZIPInputStream(in) : in,
                StandardCharsets.UTF_8));
        String header = reader.readLine();
        if (header == null || !header.startsWith("date,")) {
            throw new IllegalArgumentException("not an ETT table: the header must start with 'date,', got " + header);
        }
        List<String> channels = Arrays.asList(header.substring("date,".length()).split(","));
        List<Long> startTimes = new ArrayList<>();
        List<double[]> rows = new ArrayList<>();
        String line;
        int lineNumber = 1;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split(",");
            if (fields.length != channels.size() + 1) {
                throw new IllegalArgumentException("line " + lineNumber + " has " + fields.length + " fields, expected "
                        + (channels.size() + 1));
            }
            try {
                double[] row = new double[channels.size()];
                for (int c = 0; c < row.length; c++) {
                    row[c] = Double.parseDouble(fields[c + 1]);
                }
                startTimes.add(LocalDateTime.parse(fields[0], DATE).toInstant(ZoneOffset.UTC).toEpochMilli());
                rows.add(row);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + lineNumber + ": " + e.getMessage(), e);
            }
        }
        long[] times = new long[rows.size()];
        double[][] values = new double[channels.size()][rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            times[r] = startTimes.get(r);
            for (int c = 0; c < channels.size(); c++) {
                values[c][r] = rows.get(r)[c];
            }
        }
        return new EttData(channels, times, values);
    }
}
