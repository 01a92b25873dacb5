package io.imlma.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.Severity;

/**
 * One alarm id as the registry knows it: the raise (the episode's earliest notification), the latest
 * notification, and the clear once it came. While only the clear is known (events arrived out of order), the raise
 * fields hold the clear and {@code lastNotifiedAt} is {@code null}.
 *
 * @param time           event time of the raise, epoch ms
 * @param lastNotifiedAt event time of the latest raise or re-notification, epoch ms
 * @param lastValue      the value measured by that notification
 * @param clearedAt      event time of the clear, epoch ms, or {@code null} while the episode lasts
 * @param resolution     the clear's message, or {@code null} while the episode lasts
 */
public record AlarmEpisode(
        String alarmId,
        AlarmType type,
        Severity severity,
        String meterId,
        int modelVersion,
        double value,
        double threshold,
        long time,
        String message,
        Long lastNotifiedAt,
        Double lastValue,
        Long clearedAt,
        String resolution) {

    /** The episode as far as its first recorded event tells. */
    public static AlarmEpisode of(Alarm event) {
        AlarmEpisode opened = opening(event, null, null);
        return event.clears() ? opened.clearedBy(event) : opened.notifiedBy(event);
    }

    /**
     * The episode after one more event of it: the earliest notification is the raise, the latest the last
     * notification, the earliest clear resolves it. An event seen before changes nothing.
     */
    public AlarmEpisode with(Alarm event) {
        if (event.clears()) {
            return clearedAt != null && clearedAt <= event.time() ? this : clearedBy(event);
        }
        boolean raisedEarlier = lastNotifiedAt == null || event.time() < time;
        AlarmEpisode raised = raisedEarlier ? opening(event, lastNotifiedAt, lastValue).withClear(clearedAt, resolution)
                : this;
        return raised.lastNotifiedAt != null && raised.lastNotifiedAt >= event.time() ? raised : raised.notifiedBy(event);
    }

    private static AlarmEpisode opening(Alarm e, Long lastNotifiedAt, Double lastValue) {
        return new AlarmEpisode(e.alarmId(), e.type(), e.severity(), e.meterId(), e.modelVersion(), e.value(),
                e.threshold(), e.time(), e.message(), lastNotifiedAt, lastValue, null, null);
    }

    private AlarmEpisode notifiedBy(Alarm e) {
        return new AlarmEpisode(alarmId, type, severity, meterId, modelVersion, value, threshold, time, message,
                e.time(), e.value(), clearedAt, resolution);
    }

    private AlarmEpisode clearedBy(Alarm e) {
        // while only clears are known, the earliest of them stands in for the raise
        AlarmEpisode base = lastNotifiedAt == null ? opening(e, null, null) : this;
        return base.withClear(e.time(), e.message());
    }

    private AlarmEpisode withClear(Long at, String why) {
        return new AlarmEpisode(alarmId, type, severity, meterId, modelVersion, value, threshold, time, message,
                lastNotifiedAt, lastValue, at, why);
    }

    @JsonProperty("status")
    public AlarmStatus status() {
        return clearedAt == null ? AlarmStatus.ACTIVE : AlarmStatus.RESOLVED;
    }

    /** The event that opened the episode as stored (the clear, while the raise is not known). */
    public Alarm raised() {
        return new Alarm(alarmId, type, severity, meterId, modelVersion, value, threshold, time, message);
    }
}
