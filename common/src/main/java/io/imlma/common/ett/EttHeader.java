package io.imlma.common.ett;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The columns of an ETT-format CSV, found by their names in the header: a {@code date} column and any number of
 * channel columns (each channel is one meter), in whatever order the file has them.
 */
public final class EttHeader {
    /** The layout of the published ETT files, assumed until a header says otherwise. */
    public static final EttHeader STANDARD;

    static {
        try {
            STANDARD = parse("date,HUFL,HULL,MUFL,MULL,LUFL,LULL,OT");
        } catch (EttFormatException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final String DATE = "date";

    private final String line;
    private final int dateColumn;
    private final List<String> channels;
    private final int[] channelColumns;
    private final int columnCount;

    private EttHeader(String line, int dateColumn, List<String> channels, int[] channelColumns, int columnCount) {
        this.line = line;
        this.dateColumn = dateColumn;
        this.channels = List.copyOf(channels);
        this.channelColumns = channelColumns;
        this.columnCount = columnCount;
    }

    /** A header is the line that names a {@code date} column; a data line has a date there instead. */
    public static boolean isHeader(String line) {
        for (String field : fields(line)) {
            if (field.trim().toLowerCase(Locale.ROOT).equals(DATE)) {
                return true;
            }
        }
        return false;
    }

    /** @throws EttFormatException without a date column, without channels, or with a channel named twice */
    public static EttHeader parse(String line) throws EttFormatException {
        String[] names = fields(line);
        int dateColumn = -1;
        List<String> channels = new ArrayList<>();
        List<Integer> columns = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            String name = names[i].trim();
            if (name.toLowerCase(Locale.ROOT).equals(DATE)) {
                if (dateColumn >= 0) {
                    throw new EttFormatException("header names the date column twice: " + line);
                }
                dateColumn = i;
            } else if (name.isEmpty()) {
                throw new EttFormatException("header has an unnamed column " + (i + 1) + ": " + line);
            } else if (channels.contains(name)) {
                throw new EttFormatException("header names channel " + name + " twice: " + line);
            } else {
                channels.add(name);
                columns.add(i);
            }
        }
        if (dateColumn < 0) {
            throw new EttFormatException("header has no date column: " + line);
        }
        if (channels.isEmpty()) {
            throw new EttFormatException("header has no channel columns: " + line);
        }
        return new EttHeader(stripBom(line), dateColumn, channels, columns.stream().mapToInt(Integer::intValue).toArray(),
                names.length);
    }

    /** The header line as it was read (without a byte-order mark), e.g. to keep it in state. */
    public String line() {
        return line;
    }

    /** Channel names, in the order of {@link EttRow#values()}. */
    public List<String> channels() {
        return channels;
    }

    /** Position of {@code channel} in {@link #channels()}, or -1. */
    public int channelIndex(String channel) {
        return channels.indexOf(channel);
    }

    int dateColumn() {
        return dateColumn;
    }

    int channelColumn(int channelIndex) {
        return channelColumns[channelIndex];
    }

    int columnCount() {
        return columnCount;
    }

    static String[] fields(String line) {
        return stripBom(line).split(",", -1);
    }

    private static String stripBom(String line) {
        return line.startsWith("\uFEFF") ? line.substring(1) : line;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EttHeader h && dateColumn == h.dateColumn && columnCount == h.columnCount
                && channels.equals(h.channels) && Arrays.equals(channelColumns, h.channelColumns);
    }

    @Override
    public int hashCode() {
        return 31 * channels.hashCode() + dateColumn;
    }

    @Override
    public String toString() {
        return line;
    }
}
