package io.imlma.bench.tuning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imlma.bench.cli.Arguments;
import io.imlma.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Runs the benchmark at a tiny size and checks that its figures are consistent, not how good the tuners were. */
class TuningBenchmarkTest {
    private static final int TRIALS = 4;
    private static final int SEEDS = 2;

    @Test
    void everyTunerRunsOncePerSeedWithBestSoFarCurves() throws Exception {
        TuningBenchmark.Figures figures = TuningBenchmark.run(TuningBenchmark.Options.from(Arguments.of(
                "--weeks", "2", "--trials", String.valueOf(TRIALS), "--seeds", String.valueOf(SEEDS))));

        assertThat(figures.model()).isEqualTo("linear");
        assertThat(figures.trainRows()).isPositive();
        assertThat(figures.validationRows()).isPositive();
        assertThat(figures.lastValueMae()).isPositive().isFinite();
        assertThat(figures.seasonalMae()).isPositive().isFinite();
        assertThat(figures.tuners()).extracting(TunerRuns::tuner).containsExactly("bayesian", "random", "grid");
        for (TunerRuns runs : figures.tuners()) {
            assertThat(runs.results()).as(runs.tuner()).hasSize(SEEDS);
            assertThat(runs.wallSeconds()).as(runs.tuner()).hasSize(SEEDS);
            assertThat(runs.wallTime().getMin()).as(runs.tuner()).isPositive();
            for (double[] curve : runs.curves()) {
                assertThat(curve).as(runs.tuner()).hasSize(TRIALS);
                assertThat(curve[0]).isPositive().isFinite();
                for (int k = 1; k < TRIALS; k++) {
                    assertThat(curve[k]).as("%s best after trial %d", runs.tuner(), k + 1)
                            .isLessThanOrEqualTo(curve[k - 1]);
                }
            }
            assertThat(runs.bestAfter(TRIALS - 1).getMean()).isLessThanOrEqualTo(runs.bestAfter(0).getMean());
        }
    }

    @Test
    void anUnknownModelFailsNamingTheSetting() {
        assertThatThrownBy(() -> TuningBenchmark.Options.from(Arguments.of("--model", "forest")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'model'");
    }
}
