package io.imlma.jobs.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.Severity;
import io.imlma.common.json.Json;
import io.imlma.jobs.launch.LaunchOutcome;
import io.imlma.jobs.retrain.RetrainRefusedException;
import io.imlma.jobs.retrain.RetrainResult;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * Retrainings requested but not run to their end stall the loop: LOOP_STALL until one succeeds. The integrity alarms
 * of a run are relayed.
 */
class RetrainAlarmsTest {
    private static LaunchOutcome outcome(String request, LaunchOutcome.Status status, String message) {
        return new LaunchOutcome(request, "local", null, status, 1_000, 2_000, message, Map.of());
    }

    @Test
    void theIntegrityAlarmsOfARunAreRelayed() throws Exception {
        Alarm restored = new Alarm("integrity:dt=2016-07-10/part-0-0.jsonl:CORRUPTED:ab12", AlarmType.INTEGRITY,
                Severity.WARNING, null, 0, 0, 0, 1_500, "Restored dt=2016-07-10/part-0-0.jsonl from backup");
        try (KeyedOneInputStreamOperatorTestHarness<String, LaunchOutcome, Alarm> h = ProcessFunctionTestHarnesses
                .forKeyedProcessFunction(new RetrainAlarms(), o -> "load-forecast", Types.STRING)) {
            h.processElement(new LaunchOutcome("r1", "local", "j1", LaunchOutcome.Status.SUCCEEDED, 1_000, 2_000,
                    "done", Map.of(RetrainResult.ALARMS, Json.MAPPER.writeValueAsString(List.of(restored)))), 0);
            h.processElement(outcome("r2", LaunchOutcome.Status.SUCCEEDED, "done"), 0);
            assertThat(h.extractOutputValues()).containsExactly(restored);
        }
    }

    @Test
    void aRefusedRunRaisesItsCriticalIntegrityAlarmBesideTheStall() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, LaunchOutcome, Alarm> h = ProcessFunctionTestHarnesses
                .forKeyedProcessFunction(new RetrainAlarms(), o -> "load-forecast", Types.STRING)) {
            // as IdempotentLauncher.describe writes a local run's cause chain
            h.processElement(outcome("r7", LaunchOutcome.Status.FAILED, "RetrainRefusedException: Retrain r7 of "
                    + "load-forecast refused: dt=2016-07-10 CORRUPTED, backup CORRUPTED"), 0);
            h.processElement(outcome("r8", LaunchOutcome.Status.FAILED, "JobExecutionException: out of memory"), 0);
            assertThat(h.extractOutputValues()).extracting(Alarm::type)
                    .containsExactly(AlarmType.INTEGRITY, AlarmType.LOOP_STALL, AlarmType.LOOP_STALL);
            assertThat(h.extractOutputValues().get(0)).satisfies(alarm -> {
                assertThat(alarm.alarmId()).as("the id the run recorded").isEqualTo(
                        RetrainRefusedException.alarm("r7", 0, 0, "").alarmId());
                assertThat(alarm.severity()).isEqualTo(Severity.CRITICAL);
                assertThat(alarm.message()).contains("r7").contains("dt=2016-07-10 CORRUPTED");
            });
        }
    }

    @Test
    void failuresRaiseOneEpisodeWithTheReasonAndASuccessResolvesIt() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, LaunchOutcome, Alarm> h = ProcessFunctionTestHarnesses
                .forKeyedProcessFunction(new RetrainAlarms(), o -> "load-forecast", Types.STRING)) {
            h.processElement(outcome("r1", LaunchOutcome.Status.RUNNING, "launching"), 0);
            h.processElement(outcome("r1", LaunchOutcome.Status.SUCCEEDED, "done"), 0);
            assertThat(h.extractOutputValues()).as("nothing open, nothing to say").isEmpty();

            h.processElement(outcome("r2", LaunchOutcome.Status.FAILED, "non-finite feature values in the snapshot"), 0);
            h.processElement(outcome("r3", LaunchOutcome.Status.TIMED_OUT, "no outcome after 1 h"), 0);
            assertThat(h.extractOutputValues()).hasSize(2).allSatisfy(a -> {
                assertThat(a.type()).isEqualTo(AlarmType.LOOP_STALL);
                assertThat(a.severity()).isEqualTo(Severity.WARNING);
                assertThat(a.alarmId()).isEqualTo(h.extractOutputValues().get(0).alarmId());
            });
            assertThat(h.extractOutputValues().get(0).message()).contains("r2").contains("FAILED")
                    .contains("non-finite feature values in the snapshot");
            assertThat(h.extractOutputValues().get(1).message()).startsWith("still active").contains("TIMED_OUT");

            h.processElement(outcome("r4", LaunchOutcome.Status.SUBMITTED, "k8s job written"), 0);
            h.processElement(outcome("r5", LaunchOutcome.Status.SUCCEEDED, "done"), 0);
            assertThat(h.extractOutputValues()).hasSize(3).last().satisfies(a -> {
                assertThat(a.severity()).isEqualTo(Severity.INFO);
                assertThat(a.alarmId()).isEqualTo(h.extractOutputValues().get(0).alarmId());
                assertThat(a.message()).startsWith("resolved").contains("r5");
            });
        }
    }
}
