package io.imlma.udf.trigger;

import io.imlma.common.config.Option;
import io.imlma.common.config.Settings;
import java.io.Serializable;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

/**
 * When {@link RetrainTrigger} fires.
 *
 * @param theta          volume threshold: fire when ΔD &gt; θ·D0 (paper: 10 %)
 * @param minInitialRows the first training (D0 = 0) waits for at least this many committed rows
 * @param minInterval    no automatic request sooner than this after the previous one (event time); later ones wait
 * @param schedule       weekly schedule, or {@code null} for none
 * @param stallAfter     a LOOP_STALL alarm when data is committed but no request fired for longer than this (data
 *                       time, since the last request or the first data); zero for none
 *
 * <p>The {@code trigger.*} settings that {@link #from} reads are {@link #OPTIONS} (listed in docs/settings.md).
 */
public record TriggerConfig(double theta, long minInitialRows, Duration minInterval, TriggerSchedule schedule,
                            Duration stallAfter) implements Serializable {

    public static final Option<Double> THETA = Option.decimal("trigger.theta").defaultValue(0.10)
            .check(t -> t > 0 && Double.isFinite(t), "must be greater than 0")
            .description("Volume threshold θ: retrain when the rows committed since the last training exceed θ·D0.");
    public static final Option<Long> MIN_INITIAL_ROWS = Option.longValue("trigger.min-initial-rows")
            .defaultValue(1_000L).check(n -> n >= 1, "must be at least 1")
            .description("The first training (D0 = 0) waits for at least this many committed rows.");
    public static final Option<Duration> MIN_INTERVAL = Option.duration("trigger.min-interval")
            .defaultValue(Duration.ofHours(1)).check(d -> !d.isNegative(), "must not be negative")
            .description("No automatic request sooner than this after the previous one (event time); later ones"
                    + " wait.");
    public static final Option<Boolean> SCHEDULE_ENABLED = Option.bool("trigger.schedule.enabled").defaultValue(true)
            .description("Whether a weekly scheduled retraining is requested besides the volume trigger.");
    public static final Option<DayOfWeek> SCHEDULE_DAY = Option.enumValue("trigger.schedule.day", DayOfWeek.class)
            .defaultValue(DayOfWeek.MONDAY).description("Day of the weekly scheduled retraining.");
    public static final Option<String> SCHEDULE_TIME = Option.string("trigger.schedule.time").defaultValue("02:00")
            .check(TriggerConfig::isTime, "expected a time such as 02:00")
            .description("Time of day of the weekly scheduled retraining, in trigger.schedule.zone.");
    public static final Option<String> SCHEDULE_ZONE = Option.string("trigger.schedule.zone").defaultValue("UTC")
            .check(TriggerConfig::isZone, "expected a time zone such as UTC or Europe/Berlin")
            .description("Time zone of the weekly schedule.");
    public static final Option<Duration> EXPECTED_CYCLE = Option.duration("trigger.stall.expected-cycle")
            .defaultValue(Duration.ofDays(7)).check(d -> !d.isNegative() && !d.isZero(), "must be positive")
            .description("The retraining cycle the loop is expected to keep (data time): the schedule's week.");
    public static final Option<Double> STALL_CYCLES = Option.decimal("trigger.stall.cycles").defaultValue(2.0)
            .check(c -> c >= 0 && Double.isFinite(c), "must be 0 (off) or positive")
            .description("LOOP_STALL after this many expected cycles of committed data without a request; 0 switches"
                    + " it off.");
    public static final List<Option<?>> OPTIONS = List.of(THETA, MIN_INITIAL_ROWS, MIN_INTERVAL, SCHEDULE_ENABLED,
            SCHEDULE_DAY, SCHEDULE_TIME, SCHEDULE_ZONE, EXPECTED_CYCLE, STALL_CYCLES);

    /** The trigger's settings; fails at start naming the setting. */
    public static TriggerConfig from(Settings settings) {
        TriggerSchedule schedule = SCHEDULE_ENABLED.value(settings)
                ? new TriggerSchedule(SCHEDULE_DAY.value(settings), LocalTime.parse(SCHEDULE_TIME.value(settings)),
                        ZoneId.of(SCHEDULE_ZONE.value(settings)))
                : null;
        Duration stallAfter = Duration.ofMillis((long) (STALL_CYCLES.value(settings)
                * EXPECTED_CYCLE.value(settings).toMillis()));
        return new TriggerConfig(THETA.value(settings), MIN_INITIAL_ROWS.value(settings), MIN_INTERVAL.value(settings),
                schedule, stallAfter);
    }

    private static boolean isTime(String text) {
        try {
            LocalTime.parse(text);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    private static boolean isZone(String text) {
        try {
            ZoneId.of(text);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    /** Without stall alarms. */
    public TriggerConfig(double theta, long minInitialRows, Duration minInterval, TriggerSchedule schedule) {
        this(theta, minInitialRows, minInterval, schedule, Duration.ZERO);
    }

    public TriggerConfig {
        if (!(theta > 0) || !Double.isFinite(theta)) {
            throw new IllegalArgumentException("theta must be a positive number, got " + theta);
        }
        if (minInitialRows < 1) {
            throw new IllegalArgumentException("minInitialRows must be at least 1, got " + minInitialRows);
        }
        if (minInterval.isNegative()) {
            throw new IllegalArgumentException("minInterval must not be negative, got " + minInterval);
        }
        if (stallAfter.isNegative()) {
            throw new IllegalArgumentException("stallAfter must not be negative, got " + stallAfter);
        }
    }

    /** Committed rows since the last training that make the volume due: more than θ·D0, or the first minimum. */
    public long rowsNeeded(long d0) {
        return d0 == 0 ? minInitialRows : (long) Math.floor(theta * d0) + 1;
    }

    public boolean volumeDue(long d0, long deltaD) {
        return d0 == 0 ? deltaD >= minInitialRows : deltaD > theta * d0;
    }
}
