package io.imlma.udf.trigger;

import java.io.Serializable;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;

/** A weekly retraining time, e.g. Monday 02:00 UTC, evaluated against event time. */
public record TriggerSchedule(DayOfWeek day, LocalTime time, ZoneId zone) implements Serializable {

    public static TriggerSchedule weeklyMondayAt2() {
        return new TriggerSchedule(DayOfWeek.MONDAY, LocalTime.of(2, 0), ZoneId.of("UTC"));
    }

    /** The first scheduled time strictly after {@code eventTime}. */
    public long nextAfter(long eventTime) {
        ZonedDateTime now = Instant.ofEpochMilli(eventTime).atZone(zone);
        ZonedDateTime candidate = now.with(TemporalAdjusters.nextOrSame(day)).with(time);
        if (!candidate.isAfter(now)) {
            candidate = candidate.plusWeeks(1).with(time);
        }
        return candidate.toInstant().toEpochMilli();
    }
}
