package io.imlma.udf.monitor;

import io.imlma.common.config.Settings;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.QualityCounts;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DataQualityMonitorTest {
    private static final long MINUTE = 60_000L;

    private static QualityCounts interval(long i, long rows, long imputed, long readings, long dead, long late) {
        return new QualityCounts(i * 5 * MINUTE, (i + 1) * 5 * MINUTE, rows, imputed, readings, dead, late);
    }

    @Test
    void highDeadLetterRateRaisesOneAlarmHealthyIntervalsNone() throws Exception {
        try (var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new DataQualityMonitor(DataQualityMonitor.Config.fromSettings(new Settings(Map.of()))),
                (QualityCounts c) -> Monitors.PIPELINE_SCOPE, Types.STRING)) {
            for (long i = 0; i < 20; i++) {
                h.processElement(interval(i, 100, 2, 1500, 3, 1), i);
            }
            assertThat(h.extractOutputValues()).isEmpty();
            // a burst of bad input: 10 % rejected, for 30 minutes
            for (long i = 20; i < 26; i++) {
                h.processElement(interval(i, 100, 2, 1500, 150, 1), i);
            }
            List<Alarm> alarms = h.extractOutputValues();
            assertThat(alarms).singleElement().satisfies(a -> {
                assertThat(a.type()).isEqualTo(AlarmType.DATA_QUALITY);
                assertThat(a.message()).startsWith("dead-letter rate");
                assertThat(a.value()).isCloseTo(150.0 / 1650, org.assertj.core.data.Offset.offset(1e-9));
            });
        }
    }

    @Test
    void tooFewRecordsAreNotJudged() throws Exception {
        try (var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new DataQualityMonitor(DataQualityMonitor.Config.fromSettings(new Settings(Map.of()))),
                (QualityCounts c) -> Monitors.PIPELINE_SCOPE, Types.STRING)) {
            for (long i = 0; i < 10; i++) {
                // 1 of 3 readings late, but only 3 readings
                h.processElement(interval(i, 1, 1, 2, 0, 1), i);
            }
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }
}
