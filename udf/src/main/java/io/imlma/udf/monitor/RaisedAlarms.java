package io.imlma.udf.monitor;

import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.Severity;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Counts the alarms an operator emits without a hysteresis gate — integrity refusals of model and snapshot files —
 * as {@link MonitorMetrics#ALARMS_RAISED} in the alarm type's group, like {@link AlarmGate} does for the monitors,
 * so that the alert rules see them. A resolution (severity INFO) is not a raise.
 */
public final class RaisedAlarms {
    private final MetricGroup operatorGroup;
    private final Map<AlarmType, Counter> raised = new EnumMap<>(AlarmType.class);

    public RaisedAlarms(MetricGroup operatorGroup) {
        this.operatorGroup = operatorGroup;
    }

    /** Counts {@code alarm} and returns it. */
    public Alarm count(Alarm alarm) {
        if (alarm.severity() != Severity.INFO) {
            raised.computeIfAbsent(alarm.type(), type -> operatorGroup
                    .addGroup(MonitorMetrics.ALARM_TYPE_GROUP, type.name()).counter(MonitorMetrics.ALARMS_RAISED))
                    .inc();
        }
        return alarm;
    }
}
