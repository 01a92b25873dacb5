package io.imlma.common.types;

/**
 * A monitoring alarm, or one event of an alarm episode: a monitor sends the raise, its re-notifications and the
 * clear under one id, the clear with severity {@link Severity#INFO}.
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
        String message) {

    /** Whether this event ends the episode of its id (only clears are sent as {@link Severity#INFO}). */
    public boolean clears() {
        return severity == Severity.INFO;
    }
}
