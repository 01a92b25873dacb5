package io.imlma.common.integrity;

/** Half-open event-time range [from, to), epoch milliseconds. */
public record TimeRange(long from, long to) {
    public TimeRange {
        if (to < from) {
            throw new IllegalArgumentException("range ends before it starts: [" + from + ", " + to + ")");
        }
    }

    public boolean overlaps(TimeRange other) {
        return from < other.to && other.from < to;
    }

    public boolean contains(long time) {
        return time >= from && time < to;
    }
}
