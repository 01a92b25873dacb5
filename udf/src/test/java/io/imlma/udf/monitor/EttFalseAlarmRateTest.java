package io.imlma.udf.monitor;

import io.imlma.common.config.Settings;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.DriftReference;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.Prediction;
import io.imlma.common.types.Severity;
import io.imlma.testkit.EttFixture;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.hipparchus.stat.descriptive.StreamingStatistics;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * False-alarm rates of the stability and drift monitors, with their default settings, on two years of real
 * 15-minute load readings (ETTm1, channel HUFL) that contain no injected fault. The prediction is the last value
 * (a naive forecaster), the feature a running z-score; the champion is assumed retrained every four weeks, which
 * starts a new stability baseline and publishes a new drift reference ({@value #REFERENCE} values evenly spaced
 * over its four weeks of training data), as {@link ChampionDriftReferences} does. An "alarm" is one raised episode (distinct alarm id).
 */
class EttFalseAlarmRateTest {
    private static final int RETRAIN_EVERY = 4 * 672;
    private static final int REFERENCE = 672;

    /** Bounds asserted: a monitor that alarms on more than this share of its evaluations of healthy data is noise. */
    private static final double MAX_STABILITY_RATE = 0.0005;
    private static final double MAX_VARIANCE_RATE = 0.10;
    /** Of the drift tests, the share that raised or re-notified an alarm: what an operator sees of the monitor. */
    private static final double MAX_DRIFT_ALARMED_SHARE = 0.15;

    private record Reading(long time, double value) {}

    private static List<Reading> load(String channel) {
        return EttFixture.rows().stream().map(row -> new Reading(row.timestamp(), row.value(channel))).toList();
    }

    private static long episodes(List<Alarm> alarms, AlarmType type) {
        return alarms.stream().filter(a -> a.type() == type && a.severity() != Severity.INFO)
                .map(Alarm::alarmId).distinct().count();
    }

    private static double[] evenlySpaced(double[] window) {
        double[] sample = new double[REFERENCE];
        for (int i = 0; i < REFERENCE; i++) {
            sample[i] = window[i * window.length / REFERENCE];
        }
        java.util.Arrays.sort(sample);
        return sample;
    }

    @Test
    void stabilityAndDriftMonitorsRarelyAlarmOnRealHealthyData() throws Exception {
        List<Reading> readings = load("HUFL");
        assertThat(readings).hasSize(69_680);
        Settings defaults = new Settings(Map.of());

        try (var stability = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                     new StabilityMonitor(StabilityMonitor.Config.fromSettings(defaults)), Prediction::meterId, Types.STRING);
             var drift = ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
                     new DriftMonitor(DriftMonitor.Config.fromSettings(defaults)), FeatureRow::meterId,
                     DriftReference::meterId, TypeInformation.of(String.class))) {
            StreamingStatistics running = new StreamingStatistics();
            double[] trainingWindow = new double[RETRAIN_EVERY];
            long deltaEvaluations = 0;
            long driftValues = 0;
            for (int i = 0; i < readings.size(); i++) {
                Reading r = readings.get(i);
                int version = 1 + i / RETRAIN_EVERY;
                if (i > 0) {
                    long t = r.time();
                    stability.processElement(new Prediction("HUFL", t, 900_000L, new double[] {readings.get(i - 1).value()}, "naive", version,
                            t, t, t, t), i);
                    deltaEvaluations++;
                }
                running.addValue(r.value());
                boolean warmUp = running.getN() < 96;
                double z = running.getStandardDeviation() > 0
                        ? (r.value() - running.getMean()) / running.getStandardDeviation() : 0;
                trainingWindow[i % RETRAIN_EVERY] = z;
                if (i > 0 && i % RETRAIN_EVERY == 0) {
                    drift.processElement2(new DriftReference("HUFL", "standardized", evenlySpaced(trainingWindow),
                            "naive", version, r.time()), i);
                }
                drift.processElement1(new FeatureRow("HUFL", r.time(), r.time() + 900_000, r.value(), r.value(),
                        r.value(), 1, z, false, warmUp, r.time()), i);
                if (!warmUp && i >= RETRAIN_EVERY) {
                    driftValues++; // tested: the first reference is published with the first retraining
                }
            }
            List<Alarm> stabilityAlarms = stability.extractOutputValues();
            List<Alarm> driftAlarms = drift.extractOutputValues();
            long weeks = readings.size() / 672;
            // evaluations: every prediction for δ; one per window after each baseline window for the variance
            long varianceEvaluations = (readings.size() / RETRAIN_EVERY) * (RETRAIN_EVERY / 672 - 1);
            long driftTests = driftValues / DriftMonitor.Config.fromSettings(defaults).stride();
            double stabilityRate = (double) episodes(stabilityAlarms, AlarmType.STABILITY) / deltaEvaluations;
            double varianceRate = (double) episodes(stabilityAlarms, AlarmType.VARIANCE) / varianceEvaluations;
            long driftAlarmed = driftAlarms.stream().filter(a -> a.severity() != Severity.INFO).count();
            double driftAlarmedShare = (double) driftAlarmed / driftTests;
            System.out.printf("ETTm1 HUFL, %d readings (%d weeks), no injected faults, default settings:%n", readings.size(), weeks);
            System.out.printf("  STABILITY episodes %d over %d predictions: rate %.5f (bound %.4f)%n",
                    episodes(stabilityAlarms, AlarmType.STABILITY), deltaEvaluations, stabilityRate, MAX_STABILITY_RATE);
            System.out.printf("  VARIANCE  episodes %d over %d weekly checks: rate %.3f (bound %.2f)%n",
                    episodes(stabilityAlarms, AlarmType.VARIANCE), varianceEvaluations, varianceRate, MAX_VARIANCE_RATE);
            System.out.printf("  DRIFT     episodes %d over %d tests (a window of %d values every %d)%n",
                    episodes(driftAlarms, AlarmType.DRIFT), driftTests,
                    DriftMonitor.Config.fromSettings(defaults).window(), DriftMonitor.Config.fromSettings(defaults).stride());
            System.out.printf("  DRIFT     tests that raised or re-notified: %d of %d, share %.3f (bound %.2f)%n",
                    driftAlarmed, driftTests, driftAlarmedShare, MAX_DRIFT_ALARMED_SHARE);
            System.out.printf("  DRIFT retrain requests %d%n", drift.getSideOutput(DriftMonitor.RETRAIN_REQUESTS) == null
                    ? 0 : drift.getSideOutput(DriftMonitor.RETRAIN_REQUESTS).size());

            assertThat(stabilityRate).isLessThan(MAX_STABILITY_RATE);
            assertThat(varianceRate).isLessThan(MAX_VARIANCE_RATE);
            assertThat(driftAlarmedShare).isLessThan(MAX_DRIFT_ALARMED_SHARE);
        }
    }
}
