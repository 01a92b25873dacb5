package io.imlma.udf.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.imlma.common.types.DeadLetter;
import io.imlma.common.types.MeterReading;
import io.imlma.udf.SideOutputs;
import java.time.Instant;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class ParseEttLineTest {

    @Test
    void turnsOneLineIntoSevenReadingsAndSkipsTheHeader() throws Exception {
        try (OneInputStreamOperatorTestHarness<String, MeterReading> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new ParseEttLine("ETTm1"))) {
            harness.processElement("date,HUFL,HULL,MUFL,MULL,LUFL,LULL,OT", 0);
            harness.processElement("2016-07-01 00:15:00,5.76,2.076,1.492,0.0,4.142,1.371,-30.5", 0);

            List<MeterReading> out = harness.extractOutputValues();
            assertThat(out).extracting(MeterReading::meterId).containsExactly(
                    "ETTm1/HUFL", "ETTm1/HULL", "ETTm1/MUFL", "ETTm1/MULL", "ETTm1/LUFL", "ETTm1/LULL", "ETTm1/OT");
            assertThat(out).extracting(MeterReading::value).containsExactly(5.76, 2.076, 1.492, 0.0, 4.142, 1.371, -30.5);
            assertThat(out).extracting(MeterReading::timestamp)
                    .containsOnly(Instant.parse("2016-07-01T00:15:00Z").toEpochMilli());
            assertThat(harness.getSideOutput(SideOutputs.DEAD_LETTERS)).isNull();
        }
    }

    @Test
    void deadLettersMalformedLines() throws Exception {
        List<String> bad = List.of(
                "2016-07-01 00:15:00,5.76,2.076",
                "2016-07-01,5.76,2.076,1.492,0.0,4.142,1.371,30.5",
                "2016-07-01 00:15:00,5.76,abc,1.492,0.0,4.142,1.371,30.5",
                "2016-07-01 00:15:00,5.76,NaN,1.492,0.0,4.142,1.371,30.5");
        try (OneInputStreamOperatorTestHarness<String, MeterReading> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new ParseEttLine("ETTm1"))) {
            for (String line : bad) {
                harness.processElement(line, 0);
            }
            assertThat(harness.extractOutputValues()).isEmpty();
            List<DeadLetter> dead = harness.getSideOutput(SideOutputs.DEAD_LETTERS).stream()
                    .map(StreamRecord::getValue).toList();
            assertThat(dead).extracting(DeadLetter::payload).containsExactlyElementsOf(bad);
            assertThat(dead).extracting(DeadLetter::source).containsOnly("ETTm1");
            assertThat(dead).extracting(DeadLetter::reason).satisfiesExactly(
                    r -> assertThat(r).isEqualTo("expected 8 comma-separated fields, got 3"),
                    r -> assertThat(r).startsWith("date is not yyyy-MM-dd HH:mm:ss"),
                    r -> assertThat(r).isEqualTo("non-numeric value of HULL: abc"),
                    r -> assertThat(r).isEqualTo("value of HULL is not finite: NaN"));
        }
    }

    @Test
    void readsTheColumnsTheHeaderNamesAndKeepsThemAcrossARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (OneInputStreamOperatorTestHarness<String, MeterReading> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new ParseEttLine("station"))) {
            harness.processElement("OT,date,HUFL", 0);
            harness.processElement("-30.5,2016-07-01 00:15:00,5.76", 0);
            assertThat(harness.extractOutputValues()).extracting(MeterReading::meterId, MeterReading::value)
                    .containsExactly(tuple("station/OT", -30.5), tuple("station/HUFL", 5.76));
            snapshot = harness.snapshot(1, 1);
        }
        // the source resumes behind the header: the restored parser still reads its columns
        OneInputStreamOperatorTestHarness<String, MeterReading> restored = new OneInputStreamOperatorTestHarness<>(
                new ProcessOperator<>(new ParseEttLine("station")));
        try (restored) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement("-31.0,2016-07-01 00:30:00,5.5", 0);
            assertThat(restored.extractOutputValues()).extracting(MeterReading::meterId, MeterReading::value)
                    .containsExactly(tuple("station/OT", -31.0), tuple("station/HUFL", 5.5));
        }
    }

    @Test
    void deadLettersAHeaderItCannotRead() throws Exception {
        try (OneInputStreamOperatorTestHarness<String, MeterReading> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new ParseEttLine("ETTm1"))) {
            harness.processElement("date,OT,OT", 0);
            harness.processElement("2016-07-01 00:15:00,5.76,2.076,1.492,0.0,4.142,1.371,-30.5", 0);
            assertThat(harness.extractOutputValues()).hasSize(7); // still the standard layout
            assertThat(harness.getSideOutput(SideOutputs.DEAD_LETTERS)).singleElement()
                    .satisfies(r -> assertThat(r.getValue().reason()).startsWith("header names channel OT twice"));
        }
    }

    @Test
    void datasetNameIsTheFileBaseName() {
        assertThat(ParseEttLine.datasetName("/data/ETTm1.csv.gz")).isEqualTo("ETTm1");
        assertThat(ParseEttLine.datasetName("my-station.csv")).isEqualTo("my-station");
    }
}
