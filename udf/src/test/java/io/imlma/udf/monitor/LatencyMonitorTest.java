package io.imlma.udf.monitor;

import io.imlma.common.config.Settings;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.Prediction;
import io.imlma.common.types.Severity;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LatencyMonitorTest {
    private static final Settings SETTINGS = new Settings(Map.of(
            "monitor.latency.ingest-budget", "500ms",
            "monitor.latency.event-budget", "20min",
            "monitor.latency.window", "200",
            "monitor.latency.min-samples", "50",
            "monitor.latency.evaluate-every", "10",
            "monitor.latency.raise-after", "2"));

    private static Prediction scored(long i, long ingestDelayMs) {
        long eventTime = 1_000_000L + i * 900_000L;
        long ingest = eventTime + 5_000;
        // scored 5 ms after the scorer got the row: the scorer is never the slow part here
        return new Prediction("m" + (i % 7), eventTime, 900_000L, new double[] {1.0}, "load", 3, ingest + ingestDelayMs, eventTime, ingest,
                ingest + ingestDelayMs - 5);
    }

    /** Scored at once on ingestion, the scorer taking {@code scoringMs}. */
    private static Prediction scoring(long i, long scoringMs) {
        long eventTime = 1_000_000L + i * 900_000L;
        return new Prediction("m" + (i % 7), eventTime, 900_000L, new double[] {1.0}, "load", 3, eventTime + scoringMs, eventTime, eventTime,
                eventTime);
    }

    @Test
    void byDefaultTheScorersDelayIsAlarmedNotTheQueueBehindAReplay() throws Exception {
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(new LatencyMonitor(LatencyMonitor.Config
                .fromSettings(new Settings(Map.of(LatencyMonitor.EVENT_BUDGET.key(), "0")))))) {
            // a replay faster than the machine: 30 s from release to scoring, but the scorer takes 3 ms
            for (long i = 0; i < 2000; i++) {
                h.processElement(scored(i, 30_000), i);
            }
            assertThat(h.extractOutputValues()).isEmpty();
            // the scorer stalls: 2 s per row
            for (long i = 2000; i < 3000; i++) {
                h.processElement(scoring(i, 2_000), i);
            }
            assertThat(h.extractOutputValues()).isNotEmpty().first().satisfies(a -> {
                assertThat(a.type()).isEqualTo(AlarmType.LATENCY);
                assertThat(a.message()).contains("scoring latency");
                assertThat(a.threshold()).isEqualTo(1_000);
            });
        }
    }

    @Test
    void aNegativeBudgetFailsNamingTheSetting() {
        assertThatThrownBy(() -> LatencyMonitor.Config.fromSettings(
                new Settings(Map.of(LatencyMonitor.SCORING_BUDGET.key(), "PT-1S"))))
                .hasMessageContaining(LatencyMonitor.SCORING_BUDGET.key());
    }

    private static OneInputStreamOperatorTestHarness<Prediction, Alarm> harness() throws Exception {
        return ProcessFunctionTestHarnesses.forProcessFunction(
                new LatencyMonitor(LatencyMonitor.Config.fromSettings(SETTINGS)));
    }

    @Test
    void promptStreamRaisesNothing() throws Exception {
        try (var h = harness()) {
            for (long i = 0; i < 1000; i++) {
                // 100..400 ms, well within the 500 ms budget
                h.processElement(scored(i, 100 + (i * 37) % 300), i);
            }
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void delayedStreamRaisesOneLatencyAlarmAndClearsWhenPromptAgain() throws Exception {
        try (var h = harness()) {
            for (long i = 0; i < 300; i++) {
                h.processElement(scored(i, 200), i);
            }
            assertThat(h.extractOutputValues()).isEmpty();
            // 5 % of predictions take 3 s: the median is fine, the p99 is not
            for (long i = 300; i < 600; i++) {
                h.processElement(scored(i, i % 20 == 0 ? 3_000 : 200), i);
            }
            List<Alarm> alarms = h.extractOutputValues();
            assertThat(alarms).isNotEmpty();
            Alarm first = alarms.get(0);
            assertThat(first.type()).isEqualTo(AlarmType.LATENCY);
            assertThat(first.message()).contains("ingest_to_scored");
            assertThat(first.value()).isGreaterThan(500);
            assertThat(first.threshold()).isEqualTo(500);
            assertThat(first.modelVersion()).isEqualTo(3);
            // one episode: every notification carries the same id, and re-notifications are at most hourly
            assertThat(alarms).extracting(Alarm::alarmId).containsOnly(first.alarmId());
            assertThat(alarms.size()).isLessThanOrEqualTo((int) (1 + 300 * 900_000L / 3_600_000L));

            for (long i = 600; i < 1200; i++) {
                h.processElement(scored(i, 200), i);
            }
            List<Alarm> after = h.extractOutputValues().subList(alarms.size(), h.extractOutputValues().size());
            assertThat(after).last().satisfies(a -> {
                assertThat(a.severity()).isEqualTo(Severity.INFO);
                assertThat(a.alarmId()).isEqualTo(first.alarmId());
                assertThat(a.message()).startsWith("resolved");
            });
        }
    }

    @Test
    void replayAfterRestoreGivesTheSameAlarmId() throws Exception {
        OperatorSubtaskState snapshot;
        List<Alarm> original;
        try (var h = harness()) {
            for (long i = 0; i < 300; i++) {
                h.processElement(scored(i, 200), i);
            }
            snapshot = h.snapshot(1, 300);
            for (long i = 300; i < 500; i++) {
                h.processElement(scored(i, 2_000), i);
            }
            original = h.extractOutputValues();
        }
        assertThat(original).isNotEmpty();
        try (var restored = new OneInputStreamOperatorTestHarness<>(
                new ProcessOperator<>(new LatencyMonitor(LatencyMonitor.Config.fromSettings(SETTINGS))))) {
            restored.initializeState(snapshot);
            restored.open();
            for (long i = 300; i < 500; i++) {
                restored.processElement(scored(i, 2_000), i);
            }
            assertThat(restored.extractOutputValues()).isEqualTo(original);
        }
    }
}
