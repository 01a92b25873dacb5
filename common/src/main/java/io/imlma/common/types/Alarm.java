package io.imlma.common.types;

/**
 * A monitoring alarm.
 *
 * @param alarmId      unique id, deterministic for the condition so replays do not duplicate it
 * @param meterId      the meter concerned, or {@code null} for pipeline-wide alarms
 * @param modelVersion champion version in service when it was raised, or 0 when none
 * @param value        the measured value that crossed the threshold
 * @param time         event time of the condition, epoch ms
 */
public record Alarm(
        String alarmId,
        AlarmType type,
        Severity severity,
        String meterId,
        int modelVersion,
        double value,
        double threshold,
        long time,
        String message) {}
