package io.imlma.udf.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.imlma.common.types.DuplicateConflict;
import io.imlma.common.types.MeterReading;
import io.imlma.udf.SideOutputs;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeduplicateReadingsTest {
    private KeyedOneInputStreamOperatorTestHarness<String, MeterReading, MeterReading> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new DeduplicateReadings(Duration.ofHours(1)), MeterReading::meterId, Types.STRING);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void send(String meter, long ts, double value) throws Exception {
        harness.processElement(new MeterReading(meter, ts, value, 1), ts);
    }

    @Test
    void dropsExactResendsAndReportsConflictsKeepingTheFirstValue() throws Exception {
        send("a", 1000, 1.5);
        send("a", 1000, 1.5); // exact re-send
        send("b", 1000, 1.5); // other meter, same timestamp: not a duplicate
        send("a", 1000, 2.5); // conflict
        send("a", 2000, 1.5);

        assertThat(harness.extractOutputValues()).extracting(MeterReading::meterId, MeterReading::timestamp,
                MeterReading::value).containsExactly(
                        tuple("a", 1000L, 1.5),
                        tuple("b", 1000L, 1.5),
                        tuple("a", 2000L, 1.5));
        List<DuplicateConflict> conflicts = harness.getSideOutput(SideOutputs.CONFLICTS).stream()
                .map(StreamRecord::getValue).toList();
        assertThat(conflicts).containsExactly(new DuplicateConflict("a", 1000, 1.5, 2.5));
    }

    @Test
    void forgetsReadingsAfterTheTimeToLive() throws Exception {
        harness.setStateTtlProcessingTime(0);
        send("a", 1000, 1.5);
        harness.setStateTtlProcessingTime(Duration.ofMinutes(59).toMillis());
        send("a", 1000, 1.5); // still remembered
        harness.setStateTtlProcessingTime(Duration.ofMinutes(61).toMillis());
        send("a", 1000, 1.5); // expired: passes again

        assertThat(harness.extractOutputValues()).hasSize(2);
    }
}
