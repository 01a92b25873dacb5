package io.imlma.udf.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.WindowAggregate;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StandardizeOnlineTest {
    private static final long I = 900_000;
    private KeyedOneInputStreamOperatorTestHarness<String, WindowAggregate, FeatureRow> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new StandardizeOnline(4), WindowAggregate::meterId, Types.STRING);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void send(String meter, int interval, double mean, long count) throws Exception {
        harness.processElement(new WindowAggregate(meter, interval * I, (interval + 1) * I, mean, mean, mean, count, 0),
                (interval + 1) * I - 1);
    }

    @Test
    void matchesATwoPassComputationOverEveryPrefix() throws Exception {
        Random random = new Random(7);
        double[] x = new double[500];
        for (int i = 0; i < x.length; i++) {
            // large offset, small spread: where the naive sum-of-squares formula loses precision
            x[i] = 1e6 + random.nextGaussian() * 3;
            send("m", i, x[i], 1);
        }
        List<FeatureRow> rows = harness.extractOutputValues();
        assertThat(rows).hasSize(x.length);
        for (int k = 1; k < x.length; k++) {
            double mean = 0;
            for (int i = 0; i <= k; i++) {
                mean += x[i];
            }
            mean /= k + 1;
            double squares = 0;
            for (int i = 0; i <= k; i++) {
                squares += (x[i] - mean) * (x[i] - mean);
            }
            double expected = (x[k] - mean) / Math.sqrt(squares / (k + 1));
            assertThat(rows.get(k).standardized()).as("row %d", k).isCloseTo(expected, within(1e-9));
        }
    }

    @Test
    void constantSeriesScoresZero() throws Exception {
        for (int i = 0; i < 10; i++) {
            send("m", i, 230.0, 1);
        }
        assertThat(harness.extractOutputValues()).extracting(FeatureRow::standardized).containsOnly(0.0);
    }

    @Test
    void flagsWarmUpAndLeavesStatisticsUntouchedByImputedRows() throws Exception {
        send("m", 0, 1.0, 1);
        send("m", 1, 3.0, 1);
        send("m", 2, 2.0, 0); // imputed: the running mean
        send("m", 3, 5.0, 1);
        send("m", 4, 7.0, 1);

        List<FeatureRow> rows = harness.extractOutputValues();
        assertThat(rows).extracting(FeatureRow::warmUp).containsExactly(true, true, true, true, false);
        assertThat(rows).extracting(FeatureRow::imputed).containsExactly(false, false, true, false, false);
        assertThat(rows.get(2).standardized()).isEqualTo(0.0);
        // row 4 scored against {1, 3, 5, 7} only: mean 4, population std sqrt(5)
        assertThat(rows.get(4).standardized()).isCloseTo(3 / Math.sqrt(5), within(1e-12));
    }
}
