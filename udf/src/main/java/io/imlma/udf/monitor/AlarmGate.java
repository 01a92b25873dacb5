package io.imlma.udf.monitor;

import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.Severity;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

import java.io.Serializable;
import java.util.function.Consumer;

/**
 * Turns evaluations of one kind of condition into alarms through {@link Hysteresis}, and counts them in Flink
 * metrics. A raise and its re-notifications share one id; a clear is sent as an {@link Severity#INFO} alarm with
 * the same id, so consumers can close the episode.
 */
public final class AlarmGate implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A breach at this multiple of the threshold or more is critical rather than a warning. */
    private static final double CRITICAL_FACTOR = 2.0;

    private final AlarmType type;
    private final Hysteresis hysteresis;
    private transient Counter raised;
    private transient Counter renotified;
    private transient Counter cleared;

    public AlarmGate(AlarmType type, Hysteresis hysteresis) {
        this.type = type;
        this.hysteresis = hysteresis;
    }

    /** Registers the counters; call from {@code open}; one gate per alarm type and operator. */
    public void open(MetricGroup operatorGroup) {
        MetricGroup group = operatorGroup.addGroup(MonitorMetrics.ALARM_TYPE_GROUP, type.name());
        raised = group.counter(MonitorMetrics.ALARMS_RAISED);
        renotified = group.counter(MonitorMetrics.ALARMS_RENOTIFIED);
        cleared = group.counter(MonitorMetrics.ALARMS_CLEARED);
    }

    /**
     * Evaluates the condition once and emits the alarm it calls for, if any.
     *
     * @param scope what the condition is about, unique per condition (e.g. meter and feature); names the alarm id
     * @param describe the measured situation in words, for the alarm message
     * @return the state to keep for the next evaluation
     */
    public Hysteresis.Step evaluate(HysteresisState state, String scope, String meterId, int modelVersion,
                                    double value, double threshold, long time, String describe, Consumer<Alarm> out) {
        Hysteresis.Step step = hysteresis.evaluate(state, value, threshold, time);
        HysteresisState before = state == null ? HysteresisState.INITIAL : state;
        switch (step.transition()) {
            case RAISE, RENOTIFY -> {
                Severity severity = value >= CRITICAL_FACTOR * threshold ? Severity.CRITICAL : Severity.WARNING;
                String id = Hysteresis.alarmId(type.name(), scope, step.state().episodeStart());
                out.accept(new Alarm(id, type, severity, meterId, modelVersion, value, threshold, time,
                        (step.transition() == Hysteresis.Transition.RAISE ? "" : "still active: ") + describe));
                (step.transition() == Hysteresis.Transition.RAISE ? raised : renotified).inc();
            }
            case CLEAR -> {
                String id = Hysteresis.alarmId(type.name(), scope, before.episodeStart());
                out.accept(new Alarm(id, type, Severity.INFO, meterId, modelVersion, value, threshold, time,
                        "resolved: " + describe));
                cleared.inc();
            }
            case NONE -> { }
        }
        return step;
    }

    /**
     * Ends an open episode because what it was measured against changed (e.g. a new champion's reference), with an
     * INFO alarm of the episode's id; nothing is sent when none is open.
     *
     * @return the state to keep: no episode, no breaches counted
     */
    public HysteresisState resolve(HysteresisState state, String scope, String meterId, int modelVersion, long time,
                                   String describe, Consumer<Alarm> out) {
        if (state != null && state.active()) {
            out.accept(new Alarm(Hysteresis.alarmId(type.name(), scope, state.episodeStart()), type, Severity.INFO,
                    meterId, modelVersion, 0, 0, time, "resolved: " + describe));
            cleared.inc();
        }
        return HysteresisState.INITIAL;
    }
}
