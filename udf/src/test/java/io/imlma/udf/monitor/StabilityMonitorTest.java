package io.imlma.udf.monitor;

import io.imlma.common.config.Settings;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.Prediction;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class StabilityMonitorTest {
    private static final long STEP = 900_000L;

    private static KeyedOneInputStreamOperatorTestHarness<String, Prediction, Alarm> harness(Map<String, String> settings)
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new StabilityMonitor(StabilityMonitor.Config.fromSettings(new Settings(settings))),
                Prediction::meterId, Types.STRING);
    }

    private static Prediction forecast(String meter, long i, double value) {
        return new Prediction(meter, i * STEP, STEP, new double[] {value}, "load", 2, i * STEP + 1, i * STEP,
                i * STEP, i * STEP + 1);
    }

    /** A day-ahead forecast issued at interval {@code i}: step k forecasts interval i + k. */
    private static Prediction dayAhead(String meter, long i, java.util.function.LongToDoubleFunction target) {
        double[] steps = new double[96];
        for (int k = 0; k < steps.length; k++) {
            steps[k] = target.applyAsDouble(i + k);
        }
        return new Prediction(meter, i * STEP, STEP, steps, "load", 2, i * STEP + 1, i * STEP, i * STEP,
                i * STEP + 1);
    }

    @Test
    void revisionIsTheLargestChangeOfASharedTargetIntervalsForecast() {
        Prediction first = dayAhead("m", 10, t -> t);
        Prediction next = dayAhead("m", 11, t -> t == 50 ? t + 3 : t);
        StabilityMonitor.Revision revision = StabilityMonitor.revision(first.forecast(), first.issueTime(), next);
        assertThat(revision.size()).isEqualTo(3.0);
        assertThat(revision.targetTime()).isEqualTo(50 * STEP);

        Prediction afterAGap = dayAhead("m", 10 + 96 + 5, t -> t);
        StabilityMonitor.Revision firstSteps = StabilityMonitor.revision(first.forecast(), first.issueTime(),
                afterAGap);
        assertThat(firstSteps.size()).as("no shared target: the first steps").isEqualTo(afterAGap.forecast()[0] - 10);
    }

    /**
     * A day-ahead forecast of a steep daily cycle moves far from one issue to the next in its first step, but a
     * consistent forecaster never changes its mind about the same interval: no alarm. Revising the same targets
     * by ±2 every interval raises one.
     */
    @Test
    void dayAheadForecastsAreComparedOnTheSameTargetIntervals() throws Exception {
        java.util.function.LongToDoubleFunction cycle = t -> 10 + 8 * Math.sin(2 * Math.PI * t / 96);
        try (var h = harness(Map.of("monitor.stability.window", "96", "monitor.stability.delta", "1"))) {
            for (long i = 0; i < 96 * 3; i++) {
                h.processElement(dayAhead("m", i, cycle), i);
            }
            assertThat(h.extractOutputValues()).isEmpty();
            for (long i = 96 * 3; i < 96 * 3 + 8; i++) {
                double revised = i % 2 == 0 ? 2 : -2;
                h.processElement(dayAhead("m", i, t -> cycle.applyAsDouble(t) + revised), i);
            }
            List<Alarm> alarms = h.extractOutputValues();
            // one episode: raised, then re-notified after the default hour
            assertThat(alarms).hasSize(2).extracting(Alarm::alarmId).containsOnly(alarms.get(0).alarmId());
            assertThat(alarms.get(0).type()).isEqualTo(AlarmType.STABILITY);
            assertThat(alarms.get(0).value()).isCloseTo(4.0, org.assertj.core.api.Assertions.within(1e-9));
            assertThat(alarms.get(0).message()).contains("moved by 4");
        }
    }

    /** A smooth daily cycle with a little noise, as a good forecaster produces. */
    private static double smooth(long i, Random noise) {
        return 10 + 3 * Math.sin(2 * Math.PI * i / 96) + 0.05 * noise.nextGaussian();
    }

    @Test
    void stationaryForecastsRaiseNothing() throws Exception {
        Random noise = new Random(1);
        try (var h = harness(Map.of("monitor.stability.window", "96"))) {
            for (long i = 0; i < 96 * 30; i++) {
                h.processElement(forecast("m1", i, smooth(i, noise)), i);
            }
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void injectedOscillationRaisesOneStabilityAlarmForThatMeterOnly() throws Exception {
        Random noise = new Random(2);
        try (var h = harness(Map.of("monitor.stability.window", "96"))) {
            for (long i = 0; i < 96 * 3; i++) {
                h.processElement(forecast("steady", i, smooth(i, noise)), i);
                h.processElement(forecast("flaky", i, smooth(i, noise)), i);
            }
            assertThat(h.extractOutputValues()).isEmpty();
            // two hours of the forecast jumping ±2 around the cycle every interval
            for (long i = 96 * 3; i < 96 * 3 + 8; i++) {
                h.processElement(forecast("steady", i, smooth(i, noise)), i);
                h.processElement(forecast("flaky", i, smooth(i, noise) + (i % 2 == 0 ? 2 : -2)), i);
            }
            List<Alarm> alarms = h.extractOutputValues();
            // one episode over the two hours: raised once, re-notified once after the default hour
            assertThat(alarms).hasSize(2).extracting(Alarm::alarmId).containsOnly(alarms.get(0).alarmId());
            assertThat(alarms.get(1).message()).startsWith("still active");
            Alarm alarm = alarms.get(0);
            assertThat(alarm.type()).isEqualTo(AlarmType.STABILITY);
            assertThat(alarm.meterId()).isEqualTo("flaky");
            assertThat(alarm.value()).isGreaterThan(alarm.threshold());
            assertThat(alarm.modelVersion()).isEqualTo(2);
        }
    }

    @Test
    void configuredDeltaFromResidualStdIsUsed() throws Exception {
        // δ = 2 × 0.5 = 1: a steady ramp of 1.5 per interval breaches it from the start, no baseline needed
        try (var h = harness(Map.of("monitor.stability.residual-std", "0.5", "monitor.stability.delta-k", "2"))) {
            for (long i = 0; i < 4; i++) {
                h.processElement(forecast("m1", i, 1.5 * i), i);
            }
            assertThat(h.extractOutputValues()).singleElement()
                    .satisfies(a -> assertThat(a.threshold()).isEqualTo(1.0));
        }
    }

    @Test
    void varianceFarAboveBaselineRaisesVarianceAlarm() throws Exception {
        Random noise = new Random(3);
        // a large δ so only the variance check speaks
        try (var h = harness(Map.of("monitor.stability.window", "96", "monitor.stability.delta", "1000"))) {
            for (long i = 0; i < 96 * 4; i++) {
                h.processElement(forecast("m1", i, smooth(i, noise)), i);
            }
            assertThat(h.extractOutputValues()).isEmpty();
            // the daily swing doubles: variance ×4, fluctuation 300 % > 30 %
            for (long i = 96 * 4; i < 96 * 8; i++) {
                h.processElement(forecast("m1", i, 2 * smooth(i, noise) - 10), i);
            }
            List<Alarm> alarms = h.extractOutputValues();
            assertThat(alarms).isNotEmpty().allSatisfy(a -> assertThat(a.type()).isEqualTo(AlarmType.VARIANCE));
            assertThat(alarms).extracting(Alarm::alarmId).containsOnly(alarms.get(0).alarmId());
            assertThat(alarms.get(0).value()).isGreaterThan(0.3);
        }
    }
}
