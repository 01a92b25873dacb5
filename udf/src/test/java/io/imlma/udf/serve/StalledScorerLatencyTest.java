package io.imlma.udf.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.imlma.common.config.Settings;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.ModelUpdate;
import io.imlma.common.types.Prediction;
import io.imlma.ml.eval.Metrics;
import io.imlma.ml.horizon.HorizonModel;
import io.imlma.ml.horizon.HorizonSpec;
import io.imlma.ml.horizon.ModelArtifact;
import io.imlma.ml.horizon.PersistenceModel;
import io.imlma.udf.monitor.LatencyMonitor;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The scorer and the latency monitor together, with the monitor's default kinds: rows ingested long before they
 * reach the scorer (as behind a replay's backpressure) raise nothing while the scorer is quick; a scorer that stalls
 * on every row raises LATENCY.
 */
class StalledScorerLatencyTest {
    private static final String MODEL = "load-forecast";
    private static final long INTERVAL = 15 * 60_000L;
    private static final long STALL_MS = 40;

    /** Forecasts the last mean; when stalling, holds the task's thread for {@link #STALL_MS} first. */
    private static HorizonModel model(boolean stalls) {
        HorizonModel lastValue = new PersistenceModel(new HorizonSpec(2, 4, false, ZoneOffset.UTC));
        if (!stalls) {
            return lastValue;
        }
        return new HorizonModel() {
            @Override
            public HorizonSpec spec() {
                return lastValue.spec();
            }

            @Override
            public void forecastInto(double[] values, int from, long issueTime, double[] out) {
                long until = System.currentTimeMillis() + STALL_MS;
                while (System.currentTimeMillis() < until) {
                    Thread.onSpinWait();
                }
                lastValue.forecastInto(values, from, issueTime, out);
            }
        };
    }

    private static List<Alarm> latencyAlarms(boolean stalls) throws Exception {
        ModelArtifact artifact = new ModelArtifact(ModelArtifact.FORMAT_VERSION, MODEL, "persistence", Map.of(),
                new Metrics(100, 0.01, 0.1, 0.5), 0.1, 0L, 1L, 2L, model(stalls));
        // the median, so that one slow row of a cold JVM does not decide; the scoring budget is the default kind's
        LatencyMonitor monitor = new LatencyMonitor(LatencyMonitor.Config.fromSettings(new Settings(Map.of(
                LatencyMonitor.EVENT_BUDGET.key(), "0", LatencyMonitor.SCORING_BUDGET.key(), STALL_MS / 2 + "ms",
                "monitor.latency.percentile", "50", "monitor.latency.window", "30",
                "monitor.latency.min-samples", "10", "monitor.latency.evaluate-every", "5"))));
        try (var scorer = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                     new ScoreWithChampion(MODEL, 2, (update, alarms) -> artifact), FeatureRow::meterId, Types.STRING,
                     ScoreWithChampion.CHAMPION);
             var latency = ProcessFunctionTestHarnesses.forProcessFunction(monitor)) {
            scorer.processBroadcastElement(new ModelUpdate(MODEL, 1, "load-forecast/v1", "00", 1L), 0);
            // ingested a minute before scoring: what the queue behind a fast replay looks like
            long ingested = System.currentTimeMillis() - 60_000;
            for (int i = 0; i < 42; i++) {
                long start = i * INTERVAL;
                scorer.processElement(new FeatureRow("m1", start, start + INTERVAL, i, i, i, 1, 0, false, false,
                        ingested), start);
            }
            List<Prediction> predictions = scorer.extractOutputValues();
            assertThat(predictions).hasSize(41);
            for (Prediction p : predictions) {
                latency.processElement(p, p.eventTime());
            }
            return latency.extractOutputValues().stream().filter(a -> a.type() == AlarmType.LATENCY).toList();
        }
    }

    @Test
    void aPromptScorerBehindALongQueueRaisesNothing() throws Exception {
        assertThat(latencyAlarms(false)).isEmpty();
    }

    @Test
    void aStalledScorerRaisesLatency() throws Exception {
        assertThat(latencyAlarms(true)).isNotEmpty().first().satisfies(alarm -> {
            assertThat(alarm.message()).contains("scoring latency");
            assertThat(alarm.value()).isGreaterThanOrEqualTo(STALL_MS);
        });
    }
}
