package io.imlma.udf.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.imlma.common.types.DeadLetter;
import io.imlma.common.types.MeterReading;
import io.imlma.udf.SideOutputs;
import java.time.Duration;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventTimeGuardTest {
    private static final long MIN = 60_000;
    private static final long I = 15 * MIN;
    private static final long DAY = 96 * I;

    private OneInputStreamOperatorTestHarness<MeterReading, MeterReading> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = harness();
        harness.open();
    }

    /** one hour ahead, seven days behind */
    private static OneInputStreamOperatorTestHarness<MeterReading, MeterReading> harness() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new ProcessOperator<>(new EventTimeGuard(Duration.ofHours(1), Duration.ofDays(7))));
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void send(String meter, long ts) throws Exception {
        harness.processElement(new MeterReading(meter, ts, 1.0, 0), 0);
    }

    private List<Long> passed() {
        return harness.extractOutputValues().stream().map(MeterReading::timestamp).toList();
    }

    private List<String> quarantined() {
        var out = harness.getSideOutput(SideOutputs.DEAD_LETTERS);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).map(DeadLetter::reason).toList();
    }

    @Test
    void quarantinesOneReadingFarAheadAndLetsTheInputGoOn() throws Exception {
        long t0 = 1_467_331_200_000L; // 2016-07-01
        send("a", t0);
        send("b", t0);
        send("a", t0 + 90 * DAY); // re-dated three months ahead
        send("b", t0 + 90 * DAY);  // the same line's other channel: same time, no confirmation
        send("a", t0 + I);
        send("a", t0 + 4 * I);     // within the hour ahead
        send("b", t0 + 4 * I + 1);

        assertThat(passed()).containsExactly(t0, t0, t0 + I, t0 + 4 * I, t0 + 4 * I + 1);
        assertThat(quarantined()).hasSize(2).allSatisfy(reason -> assertThat(reason)
                .startsWith("clock skew future: timestamp 2016-09-29T00:00:00Z is PT2160H ahead of the input's"
                        + " newest accepted time 2016-07-01T00:00:00Z (bound PT1H)"));
        assertThat(harness.getSideOutput(SideOutputs.DEAD_LETTERS).peek().getValue().source())
                .isEqualTo(EventTimeGuard.SOURCE);
    }

    @Test
    void followsAJumpConfirmedByALaterReading() throws Exception {
        send("a", 0);
        send("a", I);
        send("a", 10 * DAY);     // the source was down for ten days
        send("b", 10 * DAY);
        send("a", 10 * DAY + I); // it goes on from there: the jump is real
        send("b", 10 * DAY + I);
        send("a", I + 1);        // ten days behind the clock now

        assertThat(passed()).containsExactly(0L, I, 10 * DAY + I, 10 * DAY + I);
        assertThat(quarantined()).hasSize(3);
        assertThat(quarantined().get(2)).startsWith("clock skew past: timestamp ").contains("(bound PT168H)");
    }

    @Test
    void twoUnrelatedReadingsFarAheadConfirmNothing() throws Exception {
        send("a", 0);
        send("a", 30 * DAY);
        send("a", 60 * DAY);     // far ahead of the first one too
        send("a", 30 * DAY - I); // before the first: no confirmation
        send("a", I);

        assertThat(passed()).containsExactly(0L, I);
        assertThat(quarantined()).hasSize(3).allSatisfy(r -> assertThat(r).startsWith("clock skew future: "));
    }

    @Test
    void lateButNotSkewedReadingsPass() throws Exception {
        send("a", 7 * DAY);
        send("a", 2 * I);  // six days and more behind: late for the preprocessing, not a clock problem
        send("a", 0);      // seven days behind: still within the bound
        send("a", -1);

        assertThat(passed()).containsExactly(7 * DAY, 2 * I, 0L);
        assertThat(quarantined()).singleElement().asString().startsWith("clock skew past: ");
    }

    @Test
    void keepsItsClockAcrossARestore() throws Exception {
        send("a", 100 * DAY);
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = harness();
        harness.initializeState(snapshot);
        harness.open();
        send("a", 200 * DAY);
        send("a", 100 * DAY + I);
        assertThat(passed()).containsExactly(100 * DAY + I);
        assertThat(quarantined()).singleElement().asString().startsWith("clock skew future: ");
    }
}
