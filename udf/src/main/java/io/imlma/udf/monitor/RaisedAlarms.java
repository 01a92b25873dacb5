package io.imlma.udf.monitor;

import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.Severity;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Counts the alarms an operator emits without a hysteresis gate — integrity refusals and repairs of model and snapshot
 * files, failed retrainings — as {@link MonitorMetrics#ALARMS_RAISED} in the alarm type's group, like
 * {@link AlarmGate} does for the monitors, so that the alert rules see them. A resolution (severity INFO) is not a
 * raise.
 *
 * <p>The counters are registered when the operator opens, at 0: the rules take {@code increase()}, and Prometheus
 * sees no increase in a series whose first sample is already 1.
 */
public final class RaisedAlarms {
    private final Map<AlarmType, Counter> raised = new EnumMap<>(AlarmType.class);

    /** @param types the alarm types this operator emits; counting another type is a programming error */
    public RaisedAlarms(MetricGroup operatorGroup, AlarmType... types) {
        for (AlarmType type : types) {
            raised.put(type, operatorGroup.addGroup(MonitorMetrics.ALARM_TYPE_GROUP, type.name())
                    .counter(MonitorMetrics.ALARMS_RAISED));
        }
    }

    /** Counts {@code alarm} and returns it. */
    public Alarm count(Alarm alarm) {
        if (alarm.severity() != Severity.INFO) {
            Counter counter = raised.get(alarm.type());
            if (counter == null) {
                throw new IllegalStateException(alarm.type() + " alarms are not counted here, only " + raised.keySet()
                        + ": " + alarm);
            }
            counter.inc();
        }
        return alarm;
    }
}
