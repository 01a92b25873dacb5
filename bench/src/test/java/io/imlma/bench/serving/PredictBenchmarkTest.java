package io.imlma.bench.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the benchmark at a tiny size and checks that its figures are consistent, not how fast it was. */
class PredictBenchmarkTest {
    @Test
    void everyLevelAnswersItsRequestsWithOrderedPercentiles() throws Exception {
        PredictBenchmark.Figures figures = PredictBenchmark.run(new PredictBenchmark.Options(60, 10));

        assertThat(figures.championVersion()).isPositive();
        assertThat(figures.championTestMae()).isPositive().isFinite();
        assertThat(figures.levels()).extracting(PredictBenchmark.Level::clients).containsExactly(50, 100, 200, 500);
        for (PredictBenchmark.Level level : figures.levels()) {
            assertThat(level.requests()).as("requests at %d clients", level.clients()).isEqualTo(60);
            assertThat(level.errors()).as("errors at %d clients", level.clients()).isZero();
            assertThat(level.requestsPerSecond()).isPositive();
            assertThat(level.p50Ms()).isPositive().isLessThanOrEqualTo(level.p99Ms());
            assertThat(level.p99Ms()).isLessThanOrEqualTo(level.maxMs());
            assertThat(level.meanMs()).isPositive().isLessThanOrEqualTo(level.maxMs());
        }
    }

    @Test
    void percentilesAreNearestRankOverTheSortedLatencies() {
        long[] nanos = {1_000_000, 2_000_000, 3_000_000, 4_000_000};
        PredictBenchmark.Level level = PredictBenchmark.Level.of(50, nanos, 2_000_000_000L, 1);

        assertThat(List.of(level.p50Ms(), level.p99Ms(), level.maxMs())).containsExactly(2.0, 4.0, 4.0);
        assertThat(level.meanMs()).isEqualTo(2.5);
        assertThat(level.requestsPerSecond()).isEqualTo(2.0);
        assertThat(level.requests()).isEqualTo(4);
        assertThat(level.errors()).isEqualTo(1);
    }
}
