package io.imlma.udf.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.imlma.common.integrity.FileDigest;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.ModelUpdate;
import io.imlma.common.types.Prediction;
import io.imlma.common.types.Severity;
import io.imlma.ml.eval.Metrics;
import io.imlma.ml.horizon.HorizonSpec;
import io.imlma.ml.horizon.LinearHorizonModel;
import io.imlma.ml.horizon.ModelArtifact;
import io.imlma.ml.horizon.Normalization;
import java.io.IOException;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class ScoreWithChampionTest {
    private static final String MODEL = "load-forecast";
    private static final long INTERVAL = 15 * 60_000L;

    /** Model files by path, checked against the update's SHA-256 like the model store does. */
    static final class FileLoader implements ChampionLoader {
        final Map<String, byte[]> files = new ConcurrentHashMap<>();
        final AtomicInteger loads = new AtomicInteger();

        ModelUpdate write(int version, ModelArtifact artifact, long publishedAt) {
            String path = MODEL + "/v" + version + "/model.json";
            byte[] bytes = artifact.toBytes();
            files.put(path, bytes);
            return new ModelUpdate(MODEL, version, path, FileDigest.sha256(bytes), publishedAt);
        }

        @Override
        public ModelArtifact load(ModelUpdate update, Consumer<Alarm> alarms) throws IOException {
            loads.incrementAndGet();
            byte[] bytes = files.get(update.artifactPath());
            if (bytes == null || !FileDigest.sha256(bytes).equals(update.sha256())) {
                throw new IOException("SHA-256 mismatch for " + update.artifactPath());
            }
            return ModelArtifact.fromBytes(bytes);
        }
    }

    static final int HORIZON = 3;

    /** Two inputs, no calendar, three steps: step k = w1·(last mean) + w2·(mean before) + bias + k. */
    static ModelArtifact linear(double w1, double w2, double bias, double testMae) {
        // inputs oldest first, each row holding the input's weight on every step
        double[] weights = {w2, w2, w2, w1, w1, w1};
        return new ModelArtifact(ModelArtifact.FORMAT_VERSION, MODEL, "linear", Map.of(),
                new Metrics(100, testMae * testMae, testMae, 0.5), 0.1, 0L, 1L, 2L,
                new LinearHorizonModel(new HorizonSpec(2, HORIZON, false, ZoneOffset.UTC), Normalization.NONE,
                        weights, new double[] {bias, bias + 1, bias + 2}));
    }

    private static double firstStep(Prediction p) {
        return p.forecast()[0];
    }

    private final FileLoader loader = new FileLoader();

    private ScoreWithChampion scorer() {
        return new ScoreWithChampion(MODEL, 4, loader);
    }

    private KeyedBroadcastOperatorTestHarness<String, FeatureRow, ModelUpdate, Prediction> harness(
            ScoreWithChampion scorer) throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(scorer, FeatureRow::meterId,
                Types.STRING, ScoreWithChampion.CHAMPION);
    }

    private static FeatureRow row(String meter, int interval, double mean) {
        long start = interval * INTERVAL;
        return new FeatureRow(meter, start, start + INTERVAL, mean, mean, mean, 1, 0, false, false, start + 7);
    }

    private static void feed(KeyedBroadcastOperatorTestHarness<String, FeatureRow, ModelUpdate, Prediction> h,
            FeatureRow row) throws Exception {
        h.processElement(new StreamRecord<>(row, row.windowEnd() - 1));
    }

    private static List<Prediction> predictions(KeyedBroadcastOperatorTestHarness<?, ?, ?, Prediction> h) {
        return h.extractOutputValues();
    }

    private static List<Alarm> alarms(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> h) {
        return h.getSideOutput(ScoreWithChampion.ALARMS) == null ? List.of()
                : h.getSideOutput(ScoreWithChampion.ALARMS).stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void forecastsTheNextIntervalsOnceTheChampionHasEnoughHistory() throws Exception {
        ModelUpdate v1 = loader.write(1, linear(1, 0, 0, 0.3), 1_000);
        try (var h = harness(scorer())) {
            feed(h, row("m", 0, 5)); // history without a champion is kept
            assertThat(predictions(h)).isEmpty();
            h.processBroadcastElement(new StreamRecord<>(v1));
            feed(h, row("m", 1, 7));
            feed(h, row("other", 1, 3)); // one value: not enough history for two lags

            assertThat(predictions(h)).singleElement().satisfies(p -> {
                assertThat(p.meterId()).isEqualTo("m");
                assertThat(p.forecast()).containsExactly(7.0, 8.0, 9.0);
                // the interval that closed was [1, 2): its forecast covers [2, 3), [3, 4), [4, 5)
                assertThat(p.issueTime()).isEqualTo(2 * INTERVAL);
                assertThat(p.intervalMillis()).isEqualTo(INTERVAL);
                assertThat(p.targetTimes()).containsExactly(2 * INTERVAL, 3 * INTERVAL, 4 * INTERVAL);
                assertThat(p.eventTime()).isEqualTo(2 * INTERVAL);
                assertThat(p.ingestTime()).isEqualTo(INTERVAL + 7);
                assertThat(p.modelName()).isEqualTo(MODEL);
                assertThat(p.modelVersion()).isEqualTo(1);
                assertThat(p.scoredAt()).isPositive();
            });
            assertThat(alarms(h)).isEmpty();
        }
    }

    @Test
    void swapsToANewChampionKeepingEachMetersHistory() throws Exception {
        ModelUpdate v1 = loader.write(1, linear(1, 0, 0, 0.3), 1_000);
        ModelUpdate v2 = loader.write(2, linear(0, 1, 100, 0.2), 2_000);
        try (var h = harness(scorer())) {
            h.processBroadcastElement(new StreamRecord<>(v1));
            feed(h, row("m", 0, 5));
            feed(h, row("m", 1, 7));
            h.processBroadcastElement(new StreamRecord<>(v2));
            feed(h, row("m", 2, 9));
            h.processBroadcastElement(new StreamRecord<>(v1)); // older than the champion: a replayed update
            feed(h, row("m", 3, 11));

            assertThat(predictions(h)).extracting(Prediction::modelVersion, ScoreWithChampionTest::firstStep)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(1, 7.0),
                            org.assertj.core.groups.Tuple.tuple(2, 107.0),
                            org.assertj.core.groups.Tuple.tuple(2, 109.0));
        }
    }

    @Test
    void refusesACorruptedArtifactAndKeepsTheChampionServing() throws Exception {
        ModelUpdate v1 = loader.write(1, linear(1, 0, 0, 0.3), 1_000);
        ModelUpdate v2 = loader.write(2, linear(0, 0, 100, 0.2), 2_000);
        byte[] damaged = loader.files.get(v2.artifactPath()).clone();
        damaged[damaged.length / 2] ^= 1;
        loader.files.put(v2.artifactPath(), damaged);
        try (var h = harness(scorer())) {
            h.processBroadcastElement(new StreamRecord<>(v1));
            h.processBroadcastElement(new StreamRecord<>(v2));
            feed(h, row("m", 0, 5));
            feed(h, row("m", 1, 7));

            assertThat(predictions(h)).singleElement()
                    .satisfies(p -> assertThat(p.modelVersion()).isEqualTo(1));
            assertThat(alarms(h)).singleElement().satisfies(a -> {
                assertThat(a.type()).isEqualTo(AlarmType.INTEGRITY);
                assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
                assertThat(a.modelVersion()).isEqualTo(1);
                assertThat(a.message()).contains("v2").contains("refused").contains("v1 keeps serving")
                        .contains("SHA-256 mismatch");
            });
        }
    }

    @Test
    void afterARestoreReloadsTheChampionFromBroadcastStateAndKeepsHistory() throws Exception {
        ModelUpdate v2 = loader.write(2, linear(0, 1, 100, 0.2), 2_000);
        OperatorSubtaskState snapshot;
        try (var h = harness(scorer())) {
            h.processBroadcastElement(new StreamRecord<>(v2));
            feed(h, row("m", 0, 5));
            snapshot = h.snapshot(1, 1);
        }
        int loadsBefore = loader.loads.get();

        try (var restored = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(scorer(), List.of(ScoreWithChampion.CHAMPION)),
                FeatureRow::meterId, Types.STRING, 1, 1, 0)) {
            restored.setup();
            restored.initializeState(snapshot);
            restored.open();
            feed(restored, row("m", 1, 7));

            assertThat(predictions(restored)).singleElement().satisfies(p -> {
                assertThat(p.modelVersion()).isEqualTo(2);
                assertThat(firstStep(p)).isEqualTo(105.0); // the mean before the last came from restored state
            });
            assertThat(loader.loads.get()).isEqualTo(loadsBefore + 1);
        }
    }

    @Test
    void keepsOnlyTheNewestMeans() {
        double[] history = null;
        for (int i = 1; i <= 6; i++) {
            history = ScoreWithChampion.append(history, i, 4);
        }
        assertThat(history).containsExactly(3, 4, 5, 6);
    }
}
