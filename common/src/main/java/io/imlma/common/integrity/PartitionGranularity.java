package io.imlma.common.integrity;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * How snapshot rows are partitioned by event time (UTC). A partition id is a directory name:
 * {@code dt=2016-07-01} (daily) or {@code dt=2016-07-01T05} (hourly); ids sort in time order.
 */
public enum PartitionGranularity {
    HOURLY(ChronoUnit.HOURS, DateTimeFormatter.ofPattern("'dt='uuuu-MM-dd'T'HH")),
    DAILY(ChronoUnit.DAYS, DateTimeFormatter.ofPattern("'dt='uuuu-MM-dd"));

    private final ChronoUnit unit;
    private final DateTimeFormatter format;

    PartitionGranularity(ChronoUnit unit, DateTimeFormatter format) {
        this.unit = unit;
        this.format = format;
    }

    public long startOf(long eventTime) {
        return Instant.ofEpochMilli(eventTime).truncatedTo(unit).toEpochMilli();
    }

    public long length() {
        return unit.getDuration().toMillis();
    }

    public String partitionId(long eventTime) {
        return format.format(LocalDateTime.ofInstant(Instant.ofEpochMilli(eventTime), ZoneOffset.UTC));
    }

    public TimeRange rangeOf(long eventTime) {
        long start = startOf(eventTime);
        return new TimeRange(start, start + length());
    }

    /** Ids of all partitions overlapping [from, to), in time order. */
    public List<String> partitionIds(TimeRange range) {
        List<String> ids = new ArrayList<>();
        for (long t = startOf(range.from()); t < range.to(); t += length()) {
            ids.add(partitionId(t));
        }
        return ids;
    }

    /** Start of the partition with this id; fails on a name that is not one of this granularity's ids. */
    public long startOf(String partitionId) {
        LocalDateTime parsed = switch (this) {
            case HOURLY -> LocalDateTime.parse(partitionId, format);
            case DAILY -> java.time.LocalDate.parse(partitionId, format).atStartOfDay();
        };
        return parsed.toInstant(ZoneOffset.UTC).toEpochMilli();
    }
}
