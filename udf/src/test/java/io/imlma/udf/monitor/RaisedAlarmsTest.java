package io.imlma.udf.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.Severity;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/**
 * Integrity alarms emitted outside a monitor count as raised alarms of their type; resolutions do not. The counters
 * exist from the start, at 0.
 */
class RaisedAlarmsTest {

    @Test
    void countsRaisesPerAlarmTypeInTheAlarmTypeGroup() {
        Map<String, SimpleCounter> counters = new HashMap<>();
        RaisedAlarms raised = new RaisedAlarms(recording("", counters), AlarmType.INTEGRITY, AlarmType.DRIFT);
        assertThat(counters).containsOnlyKeys("alarm_type=INTEGRITY/alarmsRaised", "alarm_type=DRIFT/alarmsRaised");
        assertThat(counters.values()).allSatisfy(c -> assertThat(c.getCount()).isZero());
        Alarm refused = alarm(AlarmType.INTEGRITY, Severity.CRITICAL);
        assertThat(raised.count(refused)).isSameAs(refused);
        raised.count(alarm(AlarmType.INTEGRITY, Severity.WARNING));
        raised.count(alarm(AlarmType.INTEGRITY, Severity.INFO));
        raised.count(alarm(AlarmType.DRIFT, Severity.WARNING));
        assertThat(counters).containsOnlyKeys("alarm_type=INTEGRITY/alarmsRaised", "alarm_type=DRIFT/alarmsRaised");
        assertThat(counters.get("alarm_type=INTEGRITY/alarmsRaised").getCount()).isEqualTo(2);
        assertThat(counters.get("alarm_type=DRIFT/alarmsRaised").getCount()).isEqualTo(1);
        assertThatThrownBy(() -> raised.count(alarm(AlarmType.LATENCY, Severity.WARNING)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("LATENCY");
    }

    private static Alarm alarm(AlarmType type, Severity severity) {
        return new Alarm("a", type, severity, null, 1, 0, 0, 0, "m");
    }

    /** A metric group that records its counters by group path and name. */
    private static MetricGroup recording(String path, Map<String, SimpleCounter> counters) {
        return new UnregisteredMetricsGroup() {
            @Override
            public MetricGroup addGroup(String key, String value) {
                return recording(path + key + "=" + value + "/", counters);
            }

            @Override
            public Counter counter(String name) {
                return counters.computeIfAbsent(path + name, n -> new SimpleCounter());
            }
        };
    }
}
