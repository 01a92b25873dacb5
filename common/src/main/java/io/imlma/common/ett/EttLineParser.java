package io.imlma.common.ett;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/**
 * The one parser of ETT-format CSV lines ({@code date,HUFL,...,OT}, dates in UTC such as {@code 2016-07-01 00:00:00}),
 * for the streaming job and the experiments alike. Columns are found by the names in the header, so a file with its
 * columns in another order, or with other channels, reads the same; until a header is seen the
 * {@link EttHeader#STANDARD standard layout} is assumed. Not thread-safe: one parser per reader.
 */
public final class EttLineParser {
    public static final String DATE_PATTERN = "yyyy-MM-dd HH:mm:ss";
    /** Strict: an impossible date such as 2016-02-30 is an error, not the last day of February. */
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);

    private EttHeader header;

    public EttLineParser() {
        this(EttHeader.STANDARD);
    }

    public EttLineParser(EttHeader header) {
        this.header = header;
    }

    /** The layout the next data line is read with. */
    public EttHeader header() {
        return header;
    }

    /**
     * @return the row of a data line, or null for a header line, which becomes the layout of the lines after it
     * @throws EttFormatException for a malformed line (the layout stays as it was)
     */
    public EttRow parse(String line) throws EttFormatException {
        if (EttHeader.isHeader(line)) {
            header = EttHeader.parse(line);
            return null;
        }
        String[] fields = EttHeader.fields(line);
        if (fields.length != header.columnCount()) {
            throw new EttFormatException(
                    "expected " + header.columnCount() + " comma-separated fields, got " + fields.length);
        }
        String date = fields[header.dateColumn()].trim();
        long timestamp;
        try {
            timestamp = LocalDateTime.parse(date, DATE).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new EttFormatException("date is not " + DATE_PATTERN + ": " + date);
        }
        double[] values = new double[header.channels().size()];
        for (int i = 0; i < values.length; i++) {
            String field = fields[header.channelColumn(i)].trim();
            try {
                values[i] = Double.parseDouble(field);
            } catch (NumberFormatException e) {
                throw new EttFormatException("non-numeric value of " + header.channels().get(i) + ": " + field);
            }
            if (!Double.isFinite(values[i])) {
                throw new EttFormatException("value of " + header.channels().get(i) + " is not finite: " + field);
            }
        }
        return new EttRow(timestamp, values);
    }
}
