package io.imlma.udf.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.imlma.common.types.WindowAggregate;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ImputeMissingIntervalsTest {
    private static final long I = Duration.ofMinutes(15).toMillis();
    private KeyedOneInputStreamOperatorTestHarness<String, WindowAggregate, WindowAggregate> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new ImputeMissingIntervals(Duration.ofMinutes(15)), WindowAggregate::meterId, Types.STRING);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    /** A real window result as the window operator emits it: timestamp end - 1. */
    private void window(String meter, long interval, double mean) throws Exception {
        long start = interval * I;
        harness.processElement(new WindowAggregate(meter, start, start + I, mean, mean - 1, mean + 1, 3, 42),
                start + I - 1);
    }

    private static WindowAggregate imputed(String meter, long interval, double mean) {
        return new WindowAggregate(meter, interval * I, (interval + 1) * I, mean, mean, mean, 0, 0);
    }

    @Test
    void fillsAGapOfSeveralIntervalsWhenTheMeterResumes() throws Exception {
        window("a", 0, 2.0);
        window("a", 1, 4.0);
        window("a", 5, 10.0); // intervals 2, 3, 4 missing

        List<WindowAggregate> out = harness.extractOutputValues();
        assertThat(out).hasSize(6);
        assertThat(out.subList(2, 5)).containsExactly(imputed("a", 2, 3.0), imputed("a", 3, 3.0), imputed("a", 4, 3.0));
        assertThat(out.get(5).count()).isEqualTo(3);
        assertThat(out.get(5).windowStart()).isEqualTo(5 * I);
    }

    @Test
    void imputesASilentMeterAsTheWatermarkMovesOn() throws Exception {
        window("a", 0, 1.0);
        window("b", 0, 7.0);
        window("a", 1, 3.0);
        // "b" goes silent while "a" keeps the watermark moving
        harness.processWatermark(2 * I - 1);
        assertThat(harness.extractOutputValues()).contains(imputed("b", 1, 7.0));

        window("a", 2, 5.0);
        window("a", 3, 5.0);
        harness.processWatermark(4 * I - 1);
        List<WindowAggregate> rowsOfB = harness.extractOutputValues().stream()
                .filter(w -> w.meterId().equals("b")).toList();
        assertThat(rowsOfB).hasSize(4);
        assertThat(rowsOfB.subList(1, 4))
                .containsExactly(imputed("b", 1, 7.0), imputed("b", 2, 7.0), imputed("b", 3, 7.0));
        // "a" reported every interval: nothing imputed for it
        assertThat(harness.extractOutputValues()).filteredOn(w -> w.meterId().equals("a"))
                .allSatisfy(w -> assertThat(w.count()).isEqualTo(3));

        // "b" speaks again: no interval twice, none missing
        window("b", 5, 9.0);
        rowsOfB = harness.extractOutputValues().stream().filter(w -> w.meterId().equals("b")).toList();
        assertThat(rowsOfB).extracting(WindowAggregate::windowStart)
                .containsExactly(0L, I, 2 * I, 3 * I, 4 * I, 5 * I);
        assertThat(rowsOfB.get(4)).isEqualTo(imputed("b", 4, 7.0));
    }

    @Test
    void imputesNothingAtEndOfInput() throws Exception {
        window("a", 0, 1.0);
        harness.processWatermark(Long.MAX_VALUE);
        assertThat(harness.extractOutputValues()).hasSize(1);
    }
}
