package io.imlma.udf.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imlma.common.integrity.PartitionCommitted;
import io.imlma.common.json.Json;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.RetrainCommand;
import io.imlma.common.types.RetrainReason;
import io.imlma.common.types.RetrainRequest;
import io.imlma.common.types.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class RetrainTriggerTest {
    private static final String MODEL = "load-forecast";
    private static final long DAY = Duration.ofDays(1).toMillis();
    /** 2024-01-01 is a Monday. */
    private static final long MONDAY = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();

    private static TriggerConfig volumeOnly(Duration minInterval) {
        return new TriggerConfig(0.10, 100, minInterval, null);
    }

    /** Neither volume nor schedule ever due: requests come from the second input only. */
    private static TriggerConfig requestsOnly(Duration minInterval) {
        return new TriggerConfig(1e9, Long.MAX_VALUE, minInterval, null);
    }

    private static TriggerConfig withSchedule(long minInitialRows, Duration minInterval) {
        return new TriggerConfig(0.10, minInitialRows, minInterval, TriggerSchedule.weeklyMondayAt2());
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, PartitionCommitted, RetrainCommand, RetrainRequest>
            harness(TriggerConfig config, OperatorSubtaskState restoreFrom) throws Exception {
        var harness = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new RetrainTrigger(config)), p -> MODEL, RetrainCommand::modelName,
                Types.STRING);
        harness.setup();
        if (restoreFrom != null) {
            harness.initializeState(restoreFrom);
        }
        harness.open();
        return harness;
    }

    /** Daily partition starting {@code day} days after Monday 2024-01-01. */
    private static PartitionCommitted day(int day, long rows) {
        long start = MONDAY + day * DAY;
        return new PartitionCommitted("dt=" + Instant.ofEpochMilli(start).toString().substring(0, 10), start,
                start + DAY, rows, "file:///snapshots/_MANIFEST.json");
    }

    private static void commit(
            KeyedTwoInputStreamOperatorTestHarness<String, PartitionCommitted, RetrainCommand, RetrainRequest> h,
            PartitionCommitted p) throws Exception {
        h.processElement1(new StreamRecord<>(p, p.rangeEnd() - 1));
    }

    private static void watermark(
            KeyedTwoInputStreamOperatorTestHarness<String, PartitionCommitted, RetrainCommand, RetrainRequest> h,
            long time) throws Exception {
        h.processWatermark1(new Watermark(time));
        h.processWatermark2(new Watermark(time));
    }

    private static void drift(
            KeyedTwoInputStreamOperatorTestHarness<String, PartitionCommitted, RetrainCommand, RetrainRequest> h,
            long at) throws Exception {
        h.processElement2(new StreamRecord<>(new RetrainCommand(MODEL, "drift-monitor", at, RetrainReason.DRIFT), at));
        watermark(h, at);
    }

    private static List<RetrainRequest> requests(
            KeyedTwoInputStreamOperatorTestHarness<String, PartitionCommitted, RetrainCommand, RetrainRequest> h) {
        return h.extractOutputValues();
    }

    @Test
    void firesWhenVolumeExceedsThetaTimesD0AndFirstTrainingWaitsForMinimumRows() throws Exception {
        var h = harness(volumeOnly(Duration.ZERO), null);
        commit(h, day(1, 60));
        assertThat(requests(h)).isEmpty();
        commit(h, day(2, 50)); // 110 >= 100 initial rows
        assertThat(requests(h)).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(RetrainReason.VOLUME);
            assertThat(r.d0()).isZero();
            assertThat(r.deltaD()).isEqualTo(110);
            assertThat(r.dataFrom()).isEqualTo(MONDAY + DAY);
            assertThat(r.dataTo()).isEqualTo(MONDAY + 3 * DAY);
            assertThat(r.requestId()).isEqualTo(RetrainTrigger.requestId(MODEL, MONDAY + DAY, MONDAY + 3 * DAY));
        });
        commit(h, day(3, 11)); // 11 is not > 0.1 * 110
        assertThat(requests(h)).hasSize(1);
        commit(h, day(4, 1)); // 12 > 11
        assertThat(requests(h)).hasSize(2);
        RetrainRequest second = requests(h).get(1);
        assertThat(second.d0()).isEqualTo(110);
        assertThat(second.deltaD()).isEqualTo(12);
        assertThat(second.dataTo()).isEqualTo(MONDAY + 5 * DAY);
        assertThat(second.requestId()).isNotEqualTo(requests(h).get(0).requestId());
    }

    @Test
    void aBacklogCommittedBehindTheWatermarkIsDecidedByTheDataTime() throws Exception {
        var h = harness(volumeOnly(Duration.ofHours(1)), null);
        watermark(h, MONDAY + 30 * DAY); // a job catching up: its watermark far ahead of the commits
        commit(h, day(1, 100));
        commit(h, day(2, 11)); // 11 > 0.1 * 100, a day of data later
        commit(h, day(3, 13));
        assertThat(requests(h)).extracting(RetrainRequest::requestedAt)
                .containsExactly(MONDAY + 2 * DAY, MONDAY + 3 * DAY, MONDAY + 4 * DAY);
    }

    @Test
    void scheduleFiresInEventTimeOnlyWhenThereIsNewData() throws Exception {
        var h = harness(withSchedule(40, Duration.ZERO), null);
        commit(h, day(1, 50)); // Tuesday: the first training, on volume
        commit(h, day(2, 3)); // 3 is not > 0.1 * 50
        watermark(h, MONDAY + 7 * DAY + Duration.ofHours(1).toMillis()); // Monday 01:00: not yet
        assertThat(requests(h)).hasSize(1);
        watermark(h, MONDAY + 7 * DAY + Duration.ofHours(2).toMillis()); // Monday 02:00
        assertThat(requests(h).get(1)).satisfies(r -> {
            assertThat(r.reason()).isEqualTo(RetrainReason.SCHEDULE);
            assertThat(r.deltaD()).isEqualTo(3);
            assertThat(r.requestedAt()).isEqualTo(MONDAY + 7 * DAY + Duration.ofHours(2).toMillis());
        });
        watermark(h, MONDAY + 21 * DAY + Duration.ofHours(3).toMillis()); // two more Mondays, no new data
        assertThat(requests(h)).hasSize(2);
        commit(h, day(21, 3)); // 3 is not > 0.1 * 53: only the schedule fires
        watermark(h, MONDAY + 28 * DAY + Duration.ofHours(2).toMillis());
        assertThat(requests(h)).hasSize(3);
        assertThat(requests(h).get(2).reason()).isEqualTo(RetrainReason.SCHEDULE);
        assertThat(requests(h).get(2).deltaD()).isEqualTo(3);
    }

    @Test
    void theScheduleDoesNotStartTheFirstTrainingBeforeItsMinimumRows() throws Exception {
        var h = harness(withSchedule(1_000, Duration.ZERO), null);
        commit(h, day(1, 50));
        watermark(h, MONDAY + 14 * DAY + Duration.ofHours(3).toMillis()); // two Mondays due: too little data
        assertThat(requests(h)).isEmpty();
        commit(h, day(14, 950)); // 1000 rows: the first training, on volume
        assertThat(requests(h)).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(RetrainReason.VOLUME);
            assertThat(r.deltaD()).isEqualTo(1_000);
        });
    }

    @Test
    void volumeAndScheduleDueTogetherMakeOneRequest() throws Exception {
        var h = harness(withSchedule(100, Duration.ZERO), null);
        commit(h, day(1, 10)); // schedule armed for Monday 2024-01-08 02:00
        commit(h, day(7, 200)); // the Monday partition: volume due, and the schedule is due in the same data
        watermark(h, MONDAY + 8 * DAY);
        assertThat(requests(h)).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(RetrainReason.VOLUME);
            assertThat(r.deltaD()).isEqualTo(210);
        });
    }

    @Test
    void minimumIntervalDefersButKeepsTheRequest() throws Exception {
        var h = harness(withSchedule(100, Duration.ofDays(7)), null);
        commit(h, day(1, 100)); // Tuesday: first training
        assertThat(requests(h)).hasSize(1);
        long firstAt = requests(h).get(0).requestedAt();
        commit(h, day(3, 50)); // volume due again (50 > 10) but within 7 days
        watermark(h, MONDAY + 7 * DAY + Duration.ofHours(3).toMillis()); // schedule due too, still within 7 days
        assertThat(requests(h)).hasSize(1);
        watermark(h, firstAt + Duration.ofDays(7).toMillis()); // interval over: the pending request fires, once
        watermark(h, firstAt + Duration.ofDays(8).toMillis());
        assertThat(requests(h)).hasSize(2);
        RetrainRequest deferred = requests(h).get(1);
        assertThat(deferred.reason()).isEqualTo(RetrainReason.VOLUME);
        assertThat(deferred.d0()).isEqualTo(100);
        assertThat(deferred.deltaD()).isEqualTo(50);
        assertThat(deferred.requestedAt()).isEqualTo(firstAt + Duration.ofDays(7).toMillis());
    }

    @Test
    void manualRequestFiresOnNewDataOnlyAndBypassesTheInterval() throws Exception {
        var h = harness(volumeOnly(Duration.ofDays(30)), null);
        commit(h, day(1, 5));
        h.processElement2(new StreamRecord<>(RetrainCommand.manual(MODEL, "operator", 0L)));
        assertThat(requests(h)).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(RetrainReason.MANUAL);
            assertThat(r.deltaD()).isEqualTo(5);
        });
        h.processElement2(new StreamRecord<>(RetrainCommand.manual(MODEL, "operator", 1L))); // same data: nothing
        assertThat(requests(h)).hasSize(1);
        commit(h, day(2, 1));
        h.processElement2(new StreamRecord<>(RetrainCommand.manual(MODEL, "operator", 2L)));
        assertThat(requests(h)).hasSize(2);
        assertThat(requests(h).get(1).dataTo()).isEqualTo(MONDAY + 3 * DAY);
    }

    @Test
    void driftRequestFiresAsDriftOnNewDataAndKeepsTheInterval() throws Exception {
        var h = harness(requestsOnly(Duration.ofDays(7)), null);
        commit(h, day(1, 5));
        drift(h, MONDAY + 2 * DAY);
        assertThat(requests(h)).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(RetrainReason.DRIFT);
            assertThat(r.deltaD()).isEqualTo(5);
            assertThat(r.requestedAt()).isEqualTo(MONDAY + 2 * DAY);
        });
        long firstAt = requests(h).get(0).requestedAt();
        commit(h, day(2, 1));
        drift(h, MONDAY + 3 * DAY); // within 7 days of the first: deferred, not dropped
        assertThat(requests(h)).hasSize(1);
        watermark(h, firstAt + Duration.ofDays(7).toMillis() - 1);
        assertThat(requests(h)).hasSize(1);
        watermark(h, firstAt + Duration.ofDays(7).toMillis());
        assertThat(requests(h)).hasSize(2);
        assertThat(requests(h).get(1)).satisfies(r -> {
            assertThat(r.reason()).isEqualTo(RetrainReason.DRIFT);
            assertThat(r.deltaD()).isEqualTo(1);
            assertThat(r.requestedAt()).isEqualTo(firstAt + Duration.ofDays(7).toMillis());
        });
    }

    @Test
    void anOperatorsRequestOverridesAPendingDriftRequest() throws Exception {
        var h = harness(requestsOnly(Duration.ofDays(7)), null);
        commit(h, day(1, 5));
        drift(h, MONDAY + 2 * DAY);
        commit(h, day(2, 1));
        drift(h, MONDAY + 3 * DAY); // deferred by the interval
        assertThat(requests(h)).hasSize(1);
        h.processElement2(new StreamRecord<>(RetrainCommand.manual(MODEL, "operator", 0L)));
        assertThat(requests(h)).hasSize(2);
        assertThat(requests(h).get(1).reason()).isEqualTo(RetrainReason.MANUAL);
        watermark(h, MONDAY + 30 * DAY); // the deferred drift request was served by the manual one
        assertThat(requests(h)).hasSize(2);
    }

    @Test
    void aCommandWithoutReasonIsAnOperatorsAndOnlyManualOrDriftAreCommands() {
        RetrainCommand old = Json.read("{\"modelName\":\"m\",\"requestedBy\":\"ops\",\"requestedAt\":7}",
                RetrainCommand.class);
        assertThat(old).isEqualTo(new RetrainCommand("m", "ops", 7L, RetrainReason.MANUAL));
        RetrainCommand drift = new RetrainCommand("m", "drift-monitor", 8L, RetrainReason.DRIFT);
        assertThat(Json.read(Json.write(drift), RetrainCommand.class)).isEqualTo(drift);
        assertThatThrownBy(() -> new RetrainCommand("m", "x", 9L, RetrainReason.VOLUME))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("VOLUME");
    }

    @Test
    void restoredStateDoesNotFireTwiceForReplayedPartitions() throws Exception {
        var h = harness(volumeOnly(Duration.ZERO), null);
        commit(h, day(1, 60));
        commit(h, day(2, 50));
        assertThat(requests(h)).hasSize(1);
        OperatorSubtaskState snapshot = h.snapshot(1L, 1L);
        h.close();

        var restored = harness(volumeOnly(Duration.ZERO), snapshot);
        commit(restored, day(1, 60)); // replayed after a failure
        commit(restored, day(2, 50));
        assertThat(requests(restored)).isEmpty();
        commit(restored, day(3, 12)); // new data: counted on top of the restored D0 = 110
        assertThat(requests(restored)).singleElement().satisfies(r -> {
            assertThat(r.d0()).isEqualTo(110);
            assertThat(r.deltaD()).isEqualTo(12);
            assertThat(r.dataFrom()).isEqualTo(MONDAY + DAY);
        });
        restored.close();
    }
    private static List<Alarm> stallAlarms(
            KeyedTwoInputStreamOperatorTestHarness<String, PartitionCommitted, RetrainCommand, RetrainRequest> h) {
        var out = h.getSideOutput(RetrainTrigger.ALARMS);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void dataWithoutARequestForLongerThanTheStallLimitRaisesLoopStallWithTheReasonAndTheRequestResolvesIt()
            throws Exception {
        // the first training waits for 1000 rows; 10 a day arrive; stalled after 5 days of data
        var h = harness(new TriggerConfig(0.10, 1000, Duration.ZERO, null, Duration.ofDays(5)), null);
        for (int d = 0; d < 5; d++) {
            commit(h, day(d, 10));
        }
        assertThat(stallAlarms(h)).as("5 days of data are within the limit").isEmpty();
        commit(h, day(5, 10));
        assertThat(stallAlarms(h)).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo(AlarmType.LOOP_STALL);
            assertThat(a.severity()).isEqualTo(Severity.WARNING);
            assertThat(a.value()).isEqualTo(6 * DAY);
            assertThat(a.threshold()).isEqualTo(5 * DAY);
            assertThat(a.message()).contains("no retraining of " + MODEL)
                    .contains("the first training waits for 1000 committed rows, 60 so far").contains("no schedule");
        });
        commit(h, day(6, 10));
        assertThat(stallAlarms(h)).as("re-notified a day of data later").hasSize(2)
                .extracting(Alarm::alarmId).containsOnly(stallAlarms(h).get(0).alarmId());
        assertThat(stallAlarms(h).get(1).message()).contains("70 so far");

        commit(h, day(7, 1000));
        assertThat(requests(h)).hasSize(1);
        assertThat(stallAlarms(h)).hasSize(3).last().satisfies(a -> {
            assertThat(a.severity()).isEqualTo(Severity.INFO);
            assertThat(a.alarmId()).isEqualTo(stallAlarms(h).get(0).alarmId());
            assertThat(a.message()).startsWith("resolved").contains("VOLUME");
        });
        h.close();
    }

    @Test
    void theReasonNamesTheVolumeRuleAfterTheFirstTraining() throws Exception {
        var h = harness(new TriggerConfig(0.10, 100, Duration.ZERO, null, Duration.ofDays(2)), null);
        commit(h, day(0, 1000));
        assertThat(requests(h)).hasSize(1);
        commit(h, day(1, 10));
        commit(h, day(2, 10));
        assertThat(stallAlarms(h)).isEmpty();
        commit(h, day(3, 10)); // 3 days since the request (at the end of day 0), 30 rows of the 101 needed
        assertThat(stallAlarms(h)).singleElement().extracting(Alarm::message).asString()
                .contains("ΔD = 30 rows since the last training, 101 needed (θ = 0.1 of D0 = 1000)");
        h.close();
    }

    @Test
    void withoutAStallLimitNothingIsRaised() throws Exception {
        var h = harness(new TriggerConfig(0.10, 1_000_000, Duration.ZERO, null), null);
        for (int d = 0; d < 60; d++) {
            commit(h, day(d, 10));
        }
        assertThat(stallAlarms(h)).isEmpty();
        h.close();
    }
}
