package io.imlma.udf.monitor;

import io.imlma.common.config.Settings;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.DriftReference;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.RetrainReason;
import io.imlma.common.types.RetrainRequest;
import io.imlma.common.types.Severity;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

class DriftMonitorTest {
    private static final long STEP = 900_000L;

    private static KeyedTwoInputStreamOperatorTestHarness<String, FeatureRow, DriftReference, Alarm> harness(
            Map<String, String> extra) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of(
                "monitor.drift.window", "96", "monitor.drift.reference-size", "480"));
        settings.putAll(extra);
        return ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
                new DriftMonitor(DriftMonitor.Config.fromSettings(new Settings(settings))),
                FeatureRow::meterId, DriftReference::meterId, TypeInformation.of(String.class));
    }

    private static FeatureRow row(String meter, long i, double z) {
        return new FeatureRow(meter, i * STEP, (i + 1) * STEP, 100 + 10 * z, 90, 110, 15, z, false, false, i * STEP);
    }

    private static List<RetrainRequest> requests(KeyedTwoInputStreamOperatorTestHarness<?, ?, ?, ?> h) {
        var out = h.getSideOutput(DriftMonitor.RETRAIN_REQUESTS);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).toList();
    }

    /** A sorted standard normal sample shifted by {@code mean}: the champion's training data. */
    private static double[] training(Random random, double mean, int size) {
        double[] values = new double[size];
        for (int i = 0; i < size; i++) {
            values[i] = mean + random.nextGaussian();
        }
        Arrays.sort(values);
        return values;
    }

    private static DriftReference reference(double[] sample, int version, long publishedAt) {
        return new DriftReference("m1", "standardized", sample, "load", version, publishedAt);
    }

    @Test
    void stationaryStreamRaisesNothing() throws Exception {
        Random random = new Random(7);
        try (var h = harness(Map.of())) {
            h.processElement2(reference(training(random, 0, 480), 1, 0), 0);
            for (long i = 0; i < 96 * 60; i++) {
                h.processElement1(row("m1", i, random.nextGaussian()), i);
            }
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(requests(h)).isEmpty();
        }
    }

    @Test
    void aSignificanceLevelFarBelowDoublePrecisionStillAlarms() throws Exception {
        Random random = new Random(8);
        // 1 − 1e-35 is 1 in double precision: a threshold on 1 − p would never be crossed
        try (var h = harness(Map.of("monitor.drift.ks-alpha", "1e-35"))) {
            h.processElement2(reference(training(random, 0, 480), 1, 0), 0);
            for (long i = 0; i < 96 * 3; i++) {
                h.processElement1(row("m1", i, random.nextGaussian() * 0.8), i);
            }
            assertThat(h.extractOutputValues()).as("a healthy day at α = 1e-35").isEmpty();
            for (long i = 96 * 3; i < 96 * 5; i++) {
                h.processElement1(row("m1", i, 8 + random.nextGaussian()), i);
            }
            assertThat(h.extractOutputValues()).first().satisfies(alarm -> {
                assertThat(alarm.type()).isEqualTo(AlarmType.DRIFT);
                assertThat(alarm.threshold()).isEqualTo(35.0, offset(1e-9));
                assertThat(alarm.value()).isGreaterThan(35);
            });
        }
    }

    @Test
    void beforeTheFirstChampionNothingIsTestedOrAlarmed() throws Exception {
        Random random = new Random(10);
        try (var h = harness(Map.of())) {
            // a first week, then a level far from it: without a champion's data there is nothing to drift from
            for (long i = 0; i < 96 * 7; i++) {
                h.processElement1(row("m1", i, random.nextGaussian()), i);
            }
            for (long i = 96 * 7; i < 96 * 14; i++) {
                h.processElement1(row("m1", i, 3 + random.nextGaussian()), i);
            }
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(requests(h)).isEmpty();
        }
    }

    @Test
    void shiftedDistributionRaisesDriftAlarmAndRetrainRequest() throws Exception {
        Random random = new Random(8);
        try (var h = harness(Map.of())) {
            h.processElement2(reference(training(random, 0, 480), 3, 0), 0);
            for (long i = 0; i < 96 * 10; i++) {
                h.processElement1(row("m1", i, random.nextGaussian()), i);
            }
            assertThat(h.extractOutputValues()).isEmpty();
            for (long i = 96 * 10; i < 96 * 14; i++) {
                h.processElement1(row("m1", i, 0.8 + random.nextGaussian()), i);
            }
            List<Alarm> alarms = h.extractOutputValues();
            assertThat(alarms).isNotEmpty();
            Alarm alarm = alarms.get(0);
            assertThat(alarm.type()).isEqualTo(AlarmType.DRIFT);
            assertThat(alarm.meterId()).isEqualTo("m1");
            assertThat(alarm.modelVersion()).isEqualTo(3);
            assertThat(alarm.message()).contains("Kolmogorov").contains("training data of load v3");
            assertThat(alarm.value()).isGreaterThan(alarm.threshold());

            assertThat(requests(h)).singleElement().satisfies(r -> {
                assertThat(r.reason()).isEqualTo(RetrainReason.DRIFT);
                assertThat(r.modelName()).isEqualTo("load");
                assertThat(r.dataTo()).isEqualTo(alarm.time());
                assertThat(r.dataFrom()).isEqualTo(alarm.time() - 96 * STEP);
            });
        }
    }

    @Test
    void aNewerChampionsReferenceResolvesTheAlarmAndBecomesTheBaseline() throws Exception {
        Random random = new Random(11);
        try (var h = harness(Map.of())) {
            h.processElement2(reference(training(random, 0, 480), 1, 1_000), 0);
            for (long i = 0; i < 96 * 6; i++) {
                h.processElement1(row("m1", i, 1 + random.nextGaussian()), i);
            }
            List<Alarm> raised = h.extractOutputValues();
            assertThat(raised).isNotEmpty().allSatisfy(a -> assertThat(a.severity()).isNotEqualTo(Severity.INFO));
            String episode = raised.get(0).alarmId();

            // the registry's champion offered again after a restart changes nothing; an older one neither
            h.processElement2(reference(training(random, 0, 480), 1, 1_000), 0);
            h.processElement2(reference(training(random, 1, 480), 0, 500), 0);
            assertThat(h.extractOutputValues()).hasSameSizeAs(raised);

            // v2 was trained on the new level: the open episode is resolved, and the stream fits its data
            h.processElement2(reference(training(random, 1, 480), 2, 2_000), 0);
            List<Alarm> afterSwap = h.extractOutputValues().subList(raised.size(), h.extractOutputValues().size());
            assertThat(afterSwap).singleElement().satisfies(clear -> {
                assertThat(clear.alarmId()).isEqualTo(episode);
                assertThat(clear.severity()).isEqualTo(Severity.INFO);
                assertThat(clear.modelVersion()).isEqualTo(2);
                assertThat(clear.message()).startsWith("resolved:").contains("load v2");
            });
            int before = h.extractOutputValues().size();
            for (long i = 96 * 6; i < 96 * 20; i++) {
                h.processElement1(row("m1", i, 1 + random.nextGaussian()), i);
            }
            assertThat(h.extractOutputValues()).hasSize(before);
        }
    }

    @Test
    void largeWindowsUsePsiAgainstThePublishedReference() throws Exception {
        Random random = new Random(9);
        try (var h = harness(Map.of("monitor.drift.window", "672", "monitor.drift.stride", "96",
                "monitor.drift.retrain-request", "false"))) {
            double[] training = new double[1000];
            for (int i = 0; i < training.length; i++) {
                training[i] = 1.5 + random.nextGaussian();
            }
            Arrays.sort(training);
            h.processElement2(new DriftReference("m1", "standardized", training, "load", 5, 0), 0);
            // the stream matches the training data at first, then its spread halves
            for (long i = 0; i < 96 * 14; i++) {
                h.processElement1(row("m1", i, 1.5 + random.nextGaussian()), i);
            }
            assertThat(h.extractOutputValues()).isEmpty();
            for (long i = 96 * 14; i < 96 * 24; i++) {
                h.processElement1(row("m1", i, 1.5 + 0.3 * random.nextGaussian()), i);
            }
            List<Alarm> alarms = h.extractOutputValues();
            assertThat(alarms).isNotEmpty();
            assertThat(alarms.get(0).message()).contains("PSI").contains("load v5");
            assertThat(alarms.get(0).modelVersion()).isEqualTo(5);
            assertThat(requests(h)).isEmpty();
        }
    }
}
