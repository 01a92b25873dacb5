package io.imlma.ml.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.imlma.ml.model.Hyperparameters;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SearchAndDriverTest {
    private static final SearchSpace SPACE = new SearchSpace(
            Dimension.log("learningRate", 1e-4, 1e-1),
            Dimension.log("l2", 1e-6, 1.0),
            Dimension.logInteger("batchSize", 8, 512));

    @Test
    void logDimensionsMapTheUnitIntervalGeometricallyAndIntegersRound() {
        Hyperparameters middle = SPACE.parameters(new double[] {0.5, 0.5, 0.5});

        assertThat(middle.get("learningRate")).isCloseTo(Math.sqrt(1e-4 * 1e-1), within(1e-12));
        assertThat(middle.get("l2")).isCloseTo(1e-3, within(1e-15));
        assertThat(middle.get("batchSize")).isEqualTo(64.0);
        assertThat(SPACE.unit(middle)[0]).isCloseTo(0.5, within(1e-12));
        assertThat(SPACE.point(new double[] {0, 1, 0.51}).parameters().get("batchSize")).isEqualTo(67.0); // 8·64^0.51 = 66.7
    }

    @Test
    void gridCoversEachLevelOnceWithinTheBudget() {
        GridSearch grid = new GridSearch(SPACE, 30, 1); // 3 levels per dimension: 27 points

        List<TrialPoint> all = grid.propose(100);

        assertThat(all).hasSize(27);
        Set<Hyperparameters> distinct = new HashSet<>();
        all.forEach(p -> distinct.add(p.parameters()));
        assertThat(distinct).hasSize(27);
        assertThat(all).allMatch(p -> p.parameters().get("batchSize") >= 8 && p.parameters().get("batchSize") <= 512);
        assertThat(grid.propose(1)).isEmpty();
    }

    @Test
    void driverRecordsEveryTrialAndStopsWhenTheBestStopsImproving() {
        Objective flat = (p, seed) -> new TrialOutcome(1.0, 2.0, 1.0); // never improves after the first trial

        TuningResult result = TuningDriver.run(new RandomSearch(SPACE, 3), flat, new TuningBudget(50, 4, 6, 77));

        assertThat(result.trials()).hasSize(8); // 2 rounds of 4; stalled after 1 + 6 evaluations
        assertThat(result.stoppedEarly()).isTrue();
        assertThat(result.trials()).allMatch(t -> t.seed() == 77 && t.tuner().equals("random")
                && t.validationMse() == 2.0 && t.durationMillis() >= 0);
        assertThat(result.trials().get(5).round()).isEqualTo(1);
    }

    @Test
    void driverRunsTheFullBudgetAndFindsTheBestTrial() {
        Objective quadratic = (p, seed) -> {
            double loss = Math.pow(Math.log10(p.get("learningRate")) + 2, 2);
            return new TrialOutcome(loss, loss, loss);
        };

        TuningResult result = TuningDriver.run(new RandomSearch(SPACE, 5), quadratic, new TuningBudget(20, 3, 0, 1));

        assertThat(result.trials()).hasSize(20);
        assertThat(result.stoppedEarly()).isFalse();
        double[] curve = result.bestLossCurve();
        for (int i = 1; i < curve.length; i++) {
            assertThat(curve[i]).isLessThanOrEqualTo(curve[i - 1]);
        }
        assertThat(result.best().loss()).isEqualTo(curve[curve.length - 1]);
        assertThat(result.trials().stream().map(TrialRecord::parameters).map(Hyperparameters::values))
                .allMatch(values -> values.keySet().equals(Set.of("learningRate", "l2", "batchSize")));
    }
}
