package io.imlma.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The project's bundled ETTm1 data ({@code data/ETTm1.csv.gz}): a header {@code date,HUFL,HULL,MUFL,MULL,LUFL,LULL,OT}
 * and one line per 15 minutes from {@code 2016-07-01 00:00:00} (UTC), as lines of the file or as parsed rows.
 */
public final class EttFixture {

    public static final String FILE = "data/ETTm1.csv.gz";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private EttFixture() {}

    /** One line of the file: its time (epoch milliseconds, UTC) and the value of each channel, in header order. */
    public record EttRow(long timestamp, Map<String, Double> values) {
        public double value(String channel) {
            Double value = values.get(channel);
            if (value == null) {
                throw new IllegalArgumentException("no channel " + channel + " in " + values.keySet());
            }
            return value;
        }
    }

    public static Path file() {
        return ProjectRoot.resolve(FILE);
    }

    /** The header line and the first {@code rows} data lines, as they stand in the file. */
    public static List<String> lines(int rows) {
        try (BufferedReader in = open()) {
            return in.lines().limit(1L + rows).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file(), e);
        }
    }

    /** Data rows {@code from .. from + count - 1} (0 is the first after the header), fewer at the end of the file. */
    public static List<EttRow> rows(int from, int count) {
        try (BufferedReader in = open()) {
            List<String> header = Arrays.asList(in.readLine().split(","));
            List<String> channels = header.subList(1, header.size());
            return in.lines().skip(from).limit(count).map(line -> parse(channels, line)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file(), e);
        }
    }

    /** Every data row of the file. */
    public static List<EttRow> rows() {
        return rows(0, Integer.MAX_VALUE);
    }

    private static EttRow parse(List<String> channels, String line) {
        String[] fields = line.split(",");
        Map<String, Double> values = new LinkedHashMap<>();
        for (int i = 0; i < channels.size(); i++) {
            values.put(channels.get(i), Double.parseDouble(fields[i + 1]));
        }
        long timestamp = LocalDateTime.parse(fields[0], TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
        return new EttRow(timestamp, values);
    }

    private static BufferedReader open() throws IOException {
        return new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file())),
                StandardCharsets.UTF_8));
    }
}
