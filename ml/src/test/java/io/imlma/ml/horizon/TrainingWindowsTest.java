package io.imlma.ml.horizon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imlma.common.types.FeatureRow;
import io.imlma.ml.eval.Evaluation;
import io.imlma.ml.eval.Metrics;
import io.imlma.ml.eval.ReplacementPolicy;
import io.imlma.ml.model.Hyperparameters;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingWindowsTest {
    private static final long MINUTES_15 = 15 * 60_000L;
    private static final long START = 1_700_000_100_000L - 1_700_000_100_000L % MINUTES_15;
    private static final HorizonSpec SPEC = new HorizonSpec(8, 4, false, ZoneId.of("UTC"));

    private static List<FeatureRow> rows(String meter, int intervals, double level) {
        List<FeatureRow> rows = new ArrayList<>();
        for (int i = 0; i < intervals; i++) {
            long start = START + i * MINUTES_15;
            double value = level + Math.sin(i / 3.0);
            rows.add(new FeatureRow(meter, start, start + MINUTES_15, value, value, value, 1, 0.0, false, false,
                    start + MINUTES_15));
        }
        return rows;
    }

    private static long lastTargetEnd(Windows windows) {
        long end = Long.MIN_VALUE;
        for (int w = 0; w < windows.size(); w++) {
            end = Math.max(end, windows.issueTime(w) + windows.spec().horizon() * MINUTES_15);
        }
        return end;
    }

    private static long firstIssue(Windows windows) {
        long first = Long.MAX_VALUE;
        for (int w = 0; w < windows.size(); w++) {
            first = Math.min(first, windows.issueTime(w));
        }
        return first;
    }

    /** 200 intervals: the cuts are at interval 140 and 170; no target lies in two parts. */
    @Test
    void splitsEachMeterByTimeSoNoTestTargetIsATrainingTarget() {
        List<FeatureRow> rows = new ArrayList<>(rows("a", 200, 10));
        rows.addAll(rows("b", 200, 50));
        TrainingWindows data = TrainingWindows.build(rows, SPEC, 10);

        assertThat(data.meters()).containsExactly("a", "b");
        Windows.Split pooled = data.pooled();
        assertThat(lastTargetEnd(pooled.train())).isEqualTo(START + 140 * MINUTES_15);
        assertThat(firstIssue(pooled.validation())).isEqualTo(START + 140 * MINUTES_15);
        assertThat(lastTargetEnd(pooled.validation())).isEqualTo(START + 170 * MINUTES_15);
        assertThat(firstIssue(pooled.test())).isEqualTo(START + 170 * MINUTES_15);
        // per meter: train issues 8..136 (129), validation 140..166 (27), test 170..196 (27)
        assertThat(pooled.train().size()).isEqualTo(2 * 129);
        assertThat(pooled.validation().size()).isEqualTo(2 * 27);
        assertThat(pooled.test().size()).isEqualTo(2 * 27);
    }

    @Test
    void leavesOutMetersWithTooFewTrainingWindowsAndSaysWhy() {
        List<FeatureRow> rows = new ArrayList<>(rows("long", 200, 10));
        rows.addAll(rows("short", 20, 10));
        TrainingWindows data = TrainingWindows.build(rows, SPEC, 10);

        assertThat(data.meters()).containsExactly("long");
        assertThat(data.skipped()).singleElement().asString().startsWith("short: ").contains("needs 10 training");
        assertThatThrownBy(() -> TrainingWindows.build(rows("short", 20, 10), SPEC, 10))
                .hasMessageContaining("no meter has enough history");
    }

    /** A champion that reads more history is scored, with the candidate, on the test windows that have it. */
    @Test
    void scoresCandidateChampionAndBaselinesOnTheSameWindows() {
        TrainingWindows data = TrainingWindows.build(rows("a", 400, 10), SPEC, 10);
        HorizonModel candidate = RidgeForecaster.nlinear().create(Hyperparameters.of(Map.of(RidgeForecaster.L2,
                1e-3)), 1).fit(data.pooled().train(), data.pooled().validation());
        HorizonModel longer = new PersistenceModel(SPEC.withInputLength(100));
        ModelArtifact champion = new ModelArtifact(ModelArtifact.FORMAT_VERSION, "m", "persistence", Map.of(),
                new Metrics(1, 1, 1, 0), 0, 0, 1, 2, longer);
        List<String> notes = new ArrayList<>();

        Evaluation evaluation = data.evaluate(candidate, champion, ReplacementPolicy.strict(), notes);

        Windows compared = data.testWindowsFor(champion);
        assertThat(compared.size()).isEqualTo(data.pooled().test().size());
        assertThat(evaluation.candidate()).isEqualTo(HorizonEvaluation.of(candidate, compared));
        assertThat(evaluation.champion()).isEqualTo(HorizonEvaluation.of(longer, compared));
        assertThat(evaluation.lastValue()).isEqualTo(evaluation.champion());
        assertThat(evaluation.seasonalValue()).as("the champion's windows reach back a day").isEqualTo(
                HorizonEvaluation.of(new SeasonalNaiveModel(SPEC.withInputLength(96), 96), compared));
        assertThat(notes).isEmpty();

        ModelArtifact otherHorizon = new ModelArtifact(ModelArtifact.FORMAT_VERSION, "m", "persistence", Map.of(),
                new Metrics(1, 1, 1, 0), 0, 0, 1, 2, new PersistenceModel(new HorizonSpec(8, 1, false,
                        SPEC.zone())));
        Evaluation uncompared = data.evaluate(candidate, otherHorizon, ReplacementPolicy.strict(), notes);
        assertThat(uncompared.champion()).isNull();
        assertThat(uncompared.seasonalValue()).as("L = 8 does not reach back a day").isNull();
        assertThat(notes).singleElement().asString().contains("forecasts 1 intervals, the candidate 4");
    }
}
