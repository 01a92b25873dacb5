package io.imlma.demo;

import io.imlma.common.ett.EttFiles;
import io.imlma.common.ett.EttFormatException;
import io.imlma.common.ett.EttLineParser;
import io.imlma.common.ett.EttRow;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The event-time range and size of a replay's input, read once before it starts so that the console can say how far
 * the replay is. Malformed lines are skipped here (the job dead-letters them).
 *
 * @param firstTime earliest reading's event time, epoch ms
 * @param lastTime  latest reading's event time, epoch ms
 * @param rows      data lines that parse
 */
record ReplaySpan(long firstTime, long lastTime, long rows) {

    static ReplaySpan of(Path input) throws IOException {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long rows = 0;
        EttLineParser parser = new EttLineParser();
        try (BufferedReader reader = EttFiles.reader(input)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                EttRow row = parse(parser, line);
                if (row != null) {
                    first = Math.min(first, row.timestamp());
                    last = Math.max(last, row.timestamp());
                    rows++;
                }
            }
        }
        return rows == 0 ? new ReplaySpan(0, 0, 0) : new ReplaySpan(first, last, rows);
    }

    private static EttRow parse(EttLineParser parser, String line) {
        try {
            return parser.parse(line);
        } catch (EttFormatException e) {
            return null;
        }
    }

    /** Share of the span the event time {@code time} has reached, in [0, 1]. */
    double fraction(long time) {
        if (lastTime <= firstTime) {
            return time >= lastTime ? 1 : 0;
        }
        return Math.max(0, Math.min(1, (double) (time - firstTime) / (lastTime - firstTime)));
    }
}
