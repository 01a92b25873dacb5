package io.imlma.bench.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import io.imlma.bench.cli.Arguments;
import io.imlma.jobs.retrain.RetrainResult;
import org.junit.jupiter.api.Test;

/** Runs the benchmark at a tiny size and checks that its figures are consistent, not how fast or good it was. */
class RetrainBenchmarkTest {
    @Test
    void aTinyRetrainingRunsEveryTrialAndScoresTheCandidateAndBaselinesOnTheSameRows() throws Exception {
        RetrainBenchmark.Figures figures = RetrainBenchmark.run(RetrainBenchmark.Options.from(Arguments.of(
                "--weeks", "3", "--channels", "HUFL,LUFL", "--trials", "2", "--round-size", "2",
                "--parallelism", "1")));

        RetrainResult result = figures.result();
        assertThat(figures.seconds()).isPositive();
        assertThat(result.trials()).hasSize(2);
        assertThat(result.meters()).containsExactly("ETTm1/HUFL", "ETTm1/LUFL");
        assertThat(result.candidate().count()).isPositive()
                .isEqualTo(result.lastValue().count()).isEqualTo(result.seasonalValue().count());
        assertThat(result.candidate().mae()).isPositive().isFinite();
        assertThat(result.hyperparameters()).isNotEmpty();
    }
}
