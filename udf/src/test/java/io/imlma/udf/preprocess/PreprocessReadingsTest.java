package io.imlma.udf.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.imlma.common.types.DeadLetter;
import io.imlma.common.types.DuplicateConflict;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.MeterReading;
import io.imlma.udf.SideOutputs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PreprocessReadingsTest {
    private static final long MIN = 60_000;
    private static final long I = 15 * MIN;
    private KeyedOneInputStreamOperatorTestHarness<String, MeterReading, FeatureRow> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = harness();
        harness.open();
    }

    /** warm-up 3 intervals, readings of closed intervals remembered for an hour, the default plausibility checks */
    private static KeyedOneInputStreamOperatorTestHarness<String, MeterReading, FeatureRow> harness()
            throws Exception {
        return harness(Plausibility.DEFAULTS);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, MeterReading, FeatureRow> harness(
            Plausibility plausibility) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new PreprocessReadings(Duration.ofMinutes(15), Duration.ofHours(1), 3, plausibility)),
                MeterReading::meterId, Types.STRING);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void send(String meter, long ts, double value) throws Exception {
        harness.processElement(new MeterReading(meter, ts, value, 1000 + ts / MIN), ts);
    }

    private List<FeatureRow> rows(String meter) {
        return harness.extractOutputValues().stream().filter(r -> r.meterId().equals(meter)).toList();
    }

    private <T> List<T> side(OutputTag<T> tag) {
        ConcurrentLinkedQueue<StreamRecord<T>> out = harness.getSideOutput(tag);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void aggregatesAnIntervalWhenTheWatermarkReachesItsEnd() throws Exception {
        send("a", 1 * MIN, 1);
        send("a", 14 * MIN, 5);
        send("a", 5 * MIN, 3);
        harness.processWatermark(I - 2);
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.processWatermark(I - 1);
        assertThat(rows("a")).extracting(FeatureRow::windowStart, FeatureRow::windowEnd, FeatureRow::mean,
                FeatureRow::min, FeatureRow::max, FeatureRow::count, FeatureRow::imputed, FeatureRow::warmUp,
                FeatureRow::maxIngestTime).containsExactly(tuple(0L, I, 3.0, 1.0, 5.0, 3L, false, true, 1014L));
    }

    @Test
    void dropsExactResendsAndReportsConflictsKeepingTheFirstValue() throws Exception {
        send("a", 1000, 1.5);
        send("a", 1000, 1.5); // exact re-send
        send("b", 1000, 1.5); // other meter, same timestamp: not a duplicate
        send("a", 1000, 2.5); // conflict
        send("a", 2000, 4.5);
        harness.processWatermark(Long.MAX_VALUE);

        assertThat(harness.extractOutputValues()).extracting(FeatureRow::meterId, FeatureRow::mean, FeatureRow::count)
                .containsExactlyInAnyOrder(tuple("a", 3.0, 2L), tuple("b", 1.5, 1L));
        assertThat(side(SideOutputs.CONFLICTS)).containsExactly(new DuplicateConflict("a", 1000, 1.5, 2.5));
        assertThat(side(SideOutputs.LATE_READINGS)).isEmpty();
    }

    @Test
    void sendsNewReadingsOfClosedIntervalsToTheLateOutputAndKnowsTheirResends() throws Exception {
        send("a", 1 * MIN, 1);
        send("a", 16 * MIN, 2);
        harness.processWatermark(I + 5 * MIN); // closes interval 0
        send("a", 1 * MIN, 1);  // re-send of a closed interval's reading: a duplicate, not late
        send("a", 1 * MIN, 7);  // conflict with it
        send("a", 2 * MIN, 9);  // new reading for a closed interval: late
        send("a", 2 * MIN, 9);  // re-send of the late reading
        send("a", 17 * MIN, 4); // still open

        harness.processWatermark(Long.MAX_VALUE);
        assertThat(rows("a")).extracting(FeatureRow::mean, FeatureRow::count).containsExactly(tuple(1.0, 1L),
                tuple(3.0, 2L));
        assertThat(side(SideOutputs.LATE_READINGS)).extracting(MeterReading::timestamp, MeterReading::value)
                .containsExactly(tuple(2 * MIN, 9.0));
        assertThat(side(SideOutputs.CONFLICTS)).containsExactly(new DuplicateConflict("a", MIN, 1.0, 7.0));
    }

    @Test
    void forgetsClosedIntervalsAfterTheTimeToLive() throws Exception {
        harness.setStateTtlProcessingTime(0);
        send("a", 1 * MIN, 1);
        harness.processWatermark(I - 1);
        harness.setStateTtlProcessingTime(Duration.ofMinutes(59).toMillis());
        send("a", 1 * MIN, 1); // still remembered: a duplicate
        harness.setStateTtlProcessingTime(Duration.ofMinutes(61).toMillis());
        send("a", 1 * MIN, 1); // forgotten: late

        assertThat(side(SideOutputs.LATE_READINGS)).hasSize(1);
    }

    @Test
    void keepsSeveralIntervalsOpenWithinTheOutOfOrdernessBound() throws Exception {
        send("a", 14 * MIN, 1);
        send("a", 16 * MIN, 10);
        send("a", 14 * MIN + 30_000, 3); // behind the newest, its interval still open
        harness.processWatermark(I - 1);
        assertThat(rows("a")).extracting(FeatureRow::mean).containsExactly(2.0);
        harness.processWatermark(2 * I - 1);
        assertThat(rows("a")).extracting(FeatureRow::mean).containsExactly(2.0, 10.0);
    }

    @Test
    void fillsAGapOfSeveralIntervalsWhenTheMeterResumes() throws Exception {
        send("a", 0, 2);
        send("a", I, 4);
        send("a", 5 * I, 10); // intervals 2, 3, 4 missing
        harness.processWatermark(Long.MAX_VALUE);

        assertThat(rows("a")).extracting(r -> r.windowStart() / I, FeatureRow::mean, FeatureRow::count,
                FeatureRow::imputed).containsExactly(
                        tuple(0L, 2.0, 1L, false),
                        tuple(1L, 4.0, 1L, false),
                        tuple(2L, 3.0, 0L, true),
                        tuple(3L, 3.0, 0L, true),
                        tuple(4L, 3.0, 0L, true),
                        tuple(5L, 10.0, 1L, false));
    }

    @Test
    void imputesASilentMeterAsTheWatermarkMovesOn() throws Exception {
        send("a", 0, 1);
        send("b", 0, 7);
        send("a", I, 3);
        harness.processWatermark(2 * I - 1); // "b" silent in interval 1 while "a" moves the watermark
        assertThat(rows("b")).extracting(r -> r.windowStart() / I, FeatureRow::mean, FeatureRow::imputed)
                .containsExactly(tuple(0L, 7.0, false), tuple(1L, 7.0, true));

        send("a", 2 * I, 5);
        send("a", 3 * I, 5);
        harness.processWatermark(4 * I - 1);
        assertThat(rows("b")).hasSize(4).allSatisfy(r -> assertThat(r.mean()).isEqualTo(7.0));
        assertThat(rows("a")).hasSize(4).allSatisfy(r -> assertThat(r.imputed()).isFalse());

        send("b", 5 * I, 9); // "b" speaks again: no interval twice, none missing
        harness.processWatermark(6 * I - 1);
        assertThat(rows("b")).extracting(FeatureRow::windowStart).containsExactly(0L, I, 2 * I, 3 * I, 4 * I, 5 * I);
        assertThat(rows("b").get(4).imputed()).isTrue();
        assertThat(rows("b").get(5).mean()).isEqualTo(9.0);
    }

    @Test
    void imputesNothingAtEndOfInput() throws Exception {
        send("a", 0, 1);
        harness.processWatermark(Long.MAX_VALUE);
        assertThat(harness.extractOutputValues()).hasSize(1);
    }

    @Test
    void standardizesObservedIntervalsAndFlagsTheWarmUp() throws Exception {
        double[] means = {3, 4, 6, 8};
        for (int k = 0; k < means.length; k++) {
            send("a", k * I, means[k]);
        }
        send("a", 6 * I, 11); // intervals 4 and 5 imputed with the running mean 5.25
        harness.processWatermark(Long.MAX_VALUE);

        List<FeatureRow> rows = rows("a");
        assertThat(rows).extracting(FeatureRow::warmUp).containsExactly(true, true, false, false, false, false, false);
        assertThat(rows.get(1).standardized()).isCloseTo(1.0, within(1e-12)); // 3, 4: mean 3.5, deviation 0.5
        assertThat(rows.get(4).mean()).isEqualTo(5.25);
        assertThat(rows.get(4).standardized()).isCloseTo(0.0, within(1e-12));
        // 3, 4, 6, 8, 11: mean 6.4, population deviation sqrt(8.24)
        assertThat(rows.get(6).standardized()).isCloseTo((11 - 6.4) / Math.sqrt(8.24), within(1e-12));
    }

    @Test
    void keepsItsStateAcrossARestore() throws Exception {
        send("a", 1 * MIN, 2);
        send("a", 16 * MIN, 4);
        harness.processWatermark(I - 1);
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = harness();
        harness.initializeState(snapshot);
        harness.open();
        send("a", 16 * MIN, 4); // a duplicate of the open interval's reading
        send("a", 1 * MIN, 5);  // a conflict with the closed interval's
        send("a", 20 * MIN, 6);
        harness.processWatermark(Long.MAX_VALUE);
        assertThat(rows("a")).extracting(FeatureRow::mean, FeatureRow::count).containsExactly(tuple(5.0, 2L));
        assertThat(rows("a").get(0).standardized()).isCloseTo(1.0, within(1e-12)); // 2, 5: the restored statistics
        assertThat(side(SideOutputs.CONFLICTS)).containsExactly(new DuplicateConflict("a", MIN, 2.0, 5.0));
    }

    /** A meter's day of readings, two an interval, with a load-like wave; {@code extra} slipped in after reading 40. */
    private List<FeatureRow> dayOfReadings(MeterReading extra) throws Exception {
        for (int k = 0; k < 192; k++) {
            long ts = k * I / 2 + MIN;
            send("ETTm1/HUFL", ts, 10 + 5 * Math.sin(k / 10.0));
            if (k == 40 && extra != null) {
                harness.processElement(extra, extra.timestamp());
            }
            harness.processWatermark(ts - 2 * MIN);
        }
        harness.processWatermark(Long.MAX_VALUE);
        return rows("ETTm1/HUFL");
    }

    @ParameterizedTest
    @ValueSource(doubles = {1e308, -1e308, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 1001,
            -1000.5})
    void anImplausibleValueLeavesTheMetersRowsAndStatisticsAsTheyWere(double absurd) throws Exception {
        List<FeatureRow> clean = dayOfReadings(null);
        harness.close();
        harness = harness();
        harness.open();

        MeterReading bad = new MeterReading("ETTm1/HUFL", 20 * I + 3 * MIN, absurd, 5);
        List<FeatureRow> withIt = dayOfReadings(bad);

        assertThat(withIt).hasSize(96).isEqualTo(clean);
        assertThat(withIt).allSatisfy(r -> assertThat(Double.isFinite(r.standardized())).isTrue());
        assertThat(side(SideOutputs.DEAD_LETTERS)).singleElement().satisfies(d -> {
            assertThat(d.source()).isEqualTo(PreprocessReadings.SOURCE);
            assertThat(d.reason()).startsWith(Double.isFinite(absurd) ? "out of bounds: value " : "not finite: value ")
                    .contains(Double.toString(absurd));
            assertThat(d.payload()).contains("\"meterId\":\"ETTm1/HUFL\"").contains("\"timestamp\":" + (20 * I + 3 * MIN));
        });
        assertThat(side(SideOutputs.LATE_READINGS)).isEmpty();
        assertThat(side(SideOutputs.CONFLICTS)).isEmpty();
    }

    @Test
    void rejectsAnOutlierAgainstTheMetersRecentReadingsOnceItHasEnoughOfThem() throws Exception {
        send("ETTm1/HUFL", 0, 900); // no history yet: within the bounds, accepted
        for (int k = 1; k <= 30; k++) {
            send("ETTm1/HUFL", k * I, 10 + (k % 3));
        }
        send("ETTm1/HUFL", 31 * I, 900); // 890 from the median, scale max(1.4826 * 1, 1)
        send("ETTm1/HUFL", 32 * I, 50);  // 26 deviations from the median: kept
        harness.processWatermark(Long.MAX_VALUE);

        List<FeatureRow> rows = rows("ETTm1/HUFL");
        assertThat(rows).hasSize(33);
        assertThat(rows.get(0).mean()).isEqualTo(900.0);
        assertThat(rows.get(31).imputed()).isTrue();
        assertThat(rows.get(32).mean()).isEqualTo(50.0);
        assertThat(side(SideOutputs.DEAD_LETTERS)).singleElement().extracting(DeadLetter::reason).asString()
                .startsWith("outlier: value 900.0 is ").contains("robust deviations from the median 11.0")
                .contains("last 31 readings (bound 40.0)");
    }

    @Test
    void acceptsALastingChangeOfLevelOnceItHoldsHalfTheWindow() throws Exception {
        Plausibility rule = new Plausibility(Map.of(), Plausibility.DEFAULT_BOUNDS,
                new Plausibility.OutlierRule(true, 8, 4, 10, 1));
        harness.close();
        harness = harness(rule);
        harness.open();
        for (int k = 0; k < 8; k++) {
            send("m", k * I, 1);
        }
        for (int k = 8; k < 16; k++) {
            send("m", k * I, 100);
        }
        harness.processWatermark(Long.MAX_VALUE);
        // the first four at the new level are outliers; with the fifth, it is half the window
        assertThat(side(SideOutputs.DEAD_LETTERS)).hasSize(4);
        assertThat(rows("m")).extracting(FeatureRow::mean).endsWith(100.0, 100.0, 100.0, 100.0);
    }

    @Test
    void withTheOutlierRuleOffOnlyValueAndBoundsAreChecked() throws Exception {
        harness.close();
        harness = harness(new Plausibility(Map.of(), new Plausibility.Bounds(0, 1000),
                new Plausibility.OutlierRule(false, 8, 4, 10, 1)));
        harness.open();
        for (int k = 0; k < 8; k++) {
            send("m", k * I, 1);
        }
        send("m", 8 * I, 999);
        send("m", 9 * I, -0.5);
        harness.processWatermark(Long.MAX_VALUE);
        assertThat(rows("m")).extracting(FeatureRow::mean).endsWith(1.0, 999.0);
        assertThat(side(SideOutputs.DEAD_LETTERS)).extracting(DeadLetter::reason)
                .containsExactly("out of bounds: value -0.5 outside 0.0..1000.0");
    }

    @Test
    void readsNegativeZeroAsZeroSoItsResendIsADuplicate() throws Exception {
        send("a", 1000, 0.0);
        send("a", 1000, -0.0);
        harness.processWatermark(Long.MAX_VALUE);
        assertThat(side(SideOutputs.CONFLICTS)).isEmpty();
        assertThat(rows("a")).extracting(FeatureRow::count).containsExactly(1L);
    }
}
