package io.imlma.ml.horizon;

import static org.assertj.core.api.Assertions.assertThat;

import io.imlma.common.types.FeatureRow;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WindowsTest {
    private static final long MINUTES_15 = 15 * 60_000L;
    private static final long START = 1_700_000_100_000L - 1_700_000_100_000L % MINUTES_15;

    private static FeatureRow row(String meter, int interval, double value, boolean imputed) {
        long start = START + interval * MINUTES_15;
        return new FeatureRow(meter, start, start + MINUTES_15, value, value, value, imputed ? 0 : 1, 0.0, imputed,
                false, start + MINUTES_15);
    }

    private static double[] series(int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = 10 + Math.sin(i / 3.0) + 0.01 * i * i;
        }
        return values;
    }

    /** Every model input a window yields, as training sees it (Normalization.encode of the window's inputs). */
    private static double[][] encodedInputs(Windows windows, Normalization normalization) {
        HorizonSpec spec = windows.spec();
        double[][] inputs = new double[windows.size()][spec.inputFeatures()];
        double[] shiftScale = new double[2];
        for (int w = 0; w < windows.size(); w++) {
            normalization.encode(spec, windows.series(w).values(), windows.issueIndex(w) - spec.inputLength(),
                    windows.issueTime(w), inputs[w], shiftScale);
        }
        return inputs;
    }

    @Test
    void changingValuesAfterTheIssueTimeChangesNoInputNorForecast() {
        HorizonSpec spec = new HorizonSpec(12, 5, true, ZoneId.of("Europe/Berlin"));
        double[] values = series(60);
        Series run = Series.measured("m", START, MINUTES_15, values);
        Windows windows = Windows.all(List.of(run), spec);
        HorizonModel model = RidgeForecaster.nlinear().create(
                io.imlma.ml.model.Hyperparameters.of(Map.of(RidgeForecaster.L2, 1e-3)), 1).fit(windows, windows);
        int window = 20;
        int issue = windows.issueIndex(window);
        long issueTime = windows.issueTime(window);
        for (Normalization normalization : Normalization.values()) {
            double[][] before = encodedInputs(windows, normalization);
            double[] forecastBefore = model.forecast(windows.inputs(window), issueTime);

            double[] changed = values.clone();
            for (int i = issue; i < changed.length; i++) {
                changed[i] = -1000 * changed[i] + i;
            }
            Windows after = Windows.all(List.of(Series.measured("m", START, MINUTES_15, changed)), spec);
            double[][] inputsAfter = encodedInputs(after, normalization);

            assertThat(after.issueTime(window)).isEqualTo(issueTime);
            assertThat(after.targets(window)).isNotEqualTo(windows.targets(window));
            for (int w = 0; w <= window; w++) {
                assertThat(inputsAfter[w]).as("window %d under %s", w, normalization).containsExactly(before[w]);
            }
            assertThat(model.forecast(after.inputs(window), issueTime)).containsExactly(forecastBefore);
        }
    }

    @Test
    void theIssueTimeIsTheFirstTargetsStartAndCalendarFeaturesDescribeIt() {
        HorizonSpec spec = new HorizonSpec(4, 3, true, ZoneId.of("UTC"));
        Windows windows = Windows.all(List.of(Series.measured("m", START, MINUTES_15, series(10))), spec);
        assertThat(windows.size()).isEqualTo(10 - 4 - 3 + 1);
        assertThat(windows.issueIndex(0)).isEqualTo(4);
        assertThat(windows.issueTime(0)).isEqualTo(START + 4 * MINUTES_15);
        assertThat(windows.inputs(0)).containsExactly(Arrays.copyOfRange(series(10), 0, 4));
        assertThat(windows.targets(0)).containsExactly(Arrays.copyOfRange(series(10), 4, 7));
    }

    @Test
    void rowsBecomeRunsSplitAtGapsWithoutDuplicatesAndImputedTargetsAreNeverTargets() {
        List<FeatureRow> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(row("b", i, i, i == 6));
        }
        for (int i = 13; i < 20; i++) {
            rows.add(row("b", i, i, false)); // a gap of three intervals
        }
        rows.add(row("a", 0, 1, false));
        java.util.Collections.reverse(rows);
        rows.add(row("b", 3, 99, false)); // a duplicate of interval 3, later in the snapshot

        List<Series> runs = Series.fromRows(rows);

        assertThat(runs).extracting(Series::id).containsExactly("a", "b", "b");
        assertThat(runs.get(1).values()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(runs.get(1).imputed()[6]).isTrue();
        assertThat(runs.get(2).firstStart()).isEqualTo(START + 13 * MINUTES_15);
        Windows windows = Windows.all(runs, new HorizonSpec(2, 2, false, ZoneId.of("UTC")));
        List<Integer> firstTargets = new ArrayList<>();
        for (int w = 0; w < windows.size(); w++) {
            assertThat(windows.targets(w)).doesNotContain(6.0); // the imputed interval
            firstTargets.add((int) windows.targets(w)[0]);
        }
        // run b/0..9: issues 2..8 without those whose targets include 6 (issues 5, 6); run b/13..19: issues 15..18
        assertThat(firstTargets).containsExactly(2, 3, 4, 7, 8, 15, 16, 17, 18);
        // an imputed value still serves as an input
        assertThat(windows.inputs(3)).containsExactly(5, 6);
    }

    @Test
    void theTimeOrderedSplitKeepsEveryTargetInItsPart() {
        HorizonSpec spec = new HorizonSpec(8, 4, false, ZoneId.of("UTC"));
        List<Series> runs = List.of(Series.measured("a", START, MINUTES_15, series(200)),
                Series.measured("b", START + 50 * MINUTES_15, MINUTES_15, series(100)));
        Windows.Split split = Windows.split(runs, spec, 0.7, 0.15);
        for (String id : List.of("a", "b")) {
            long trainTargetEnd = lastTargetEnd(split.train(), id);
            long validationFirst = firstIssue(split.validation(), id);
            long validationTargetEnd = lastTargetEnd(split.validation(), id);
            long testFirst = firstIssue(split.test(), id);
            assertThat(trainTargetEnd).isLessThanOrEqualTo(validationFirst);
            assertThat(validationTargetEnd).isLessThanOrEqualTo(testFirst);
        }
        // meter a: 200 intervals, cuts after 140 and 170; 140 − 8 − 4 + 1 train windows, 30 − 4 + 1 validation
        assertThat(count(split.train(), "a")).isEqualTo(129);
        assertThat(count(split.validation(), "a")).isEqualTo(27);
        assertThat(count(split.test(), "a")).isEqualTo(27);
    }

    private static long count(Windows windows, String id) {
        int n = 0;
        for (int w = 0; w < windows.size(); w++) {
            n += windows.series(w).id().equals(id) ? 1 : 0;
        }
        return n;
    }

    private static long lastTargetEnd(Windows windows, String id) {
        long end = Long.MIN_VALUE;
        for (int w = 0; w < windows.size(); w++) {
            if (windows.series(w).id().equals(id)) {
                end = Math.max(end, windows.issueTime(w) + windows.spec().horizon() * MINUTES_15);
            }
        }
        return end;
    }

    private static long firstIssue(Windows windows, String id) {
        long first = Long.MAX_VALUE;
        for (int w = 0; w < windows.size(); w++) {
            if (windows.series(w).id().equals(id)) {
                first = Math.min(first, windows.issueTime(w));
            }
        }
        return first;
    }
}
