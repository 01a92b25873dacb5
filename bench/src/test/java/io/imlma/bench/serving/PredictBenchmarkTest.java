package io.imlma.bench.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import org.junit.jupiter.api.Test;

/** Runs the benchmark briefly and checks that its figures are consistent, not how fast it was. */
class PredictBenchmarkTest {
    @Test
    void everyLevelAnswersWithoutErrorsWithOrderedPercentilesAndBothSidesCpu() throws Exception {
        assumeThat(PredictBenchmark.wrk()).as(PredictBenchmark.INSTALL_WRK).isPresent();
        PredictBenchmark.Figures figures = PredictBenchmark.run(new PredictBenchmark.Options(1));

        assertThat(figures.championVersion()).isPositive();
        assertThat(figures.championTestMae()).isPositive().isFinite();
        assertThat(figures.levels()).extracting(PredictBenchmark.Level::clients).containsExactly(50, 100, 250, 500);
        for (PredictBenchmark.Level level : figures.levels()) {
            assertThat(level.requests()).as("requests at %d connections", level.clients()).isPositive();
            assertThat(level.errors()).as("errors at %d connections", level.clients()).isZero();
            assertThat(level.requestsPerSecond()).isPositive();
            assertThat(level.p50Ms()).isPositive().isLessThanOrEqualTo(level.p99Ms());
            assertThat(level.p99Ms()).isLessThanOrEqualTo(level.maxMs());
            assertThat(level.meanMs()).isPositive().isLessThanOrEqualTo(level.maxMs());
            assertThat(level.serverCpuSeconds()).isPositive();
            assertThat(level.loadGeneratorCpuSeconds()).isPositive();
        }
    }

    @Test
    void aLevelIsReadFromWrksSummaryLineAndTheShellsChildTimes() {
        String output = """
                Running 1s test @ http://127.0.0.1:1/predict
                imlma-wrk requests=2000 duration_us=2000000 errors=3 mean_us=1500.0 p50_us=1000.0 p99_us=9000.0 \
                max_us=12000.0
                0m0.004s 0m0.002s
                0m1.250s 1m0.500s
                """;
        PredictBenchmark.Level level = PredictBenchmark.Level.parse(50, output, 3.5, 1.25);

        assertThat(level.requests()).isEqualTo(2000);
        assertThat(level.requestsPerSecond()).isEqualTo(1000.0);
        assertThat(level.errors()).isEqualTo(3);
        assertThat(level.meanMs()).isEqualTo(1.5);
        assertThat(level.p50Ms()).isEqualTo(1.0);
        assertThat(level.p99Ms()).isEqualTo(9.0);
        assertThat(level.maxMs()).isEqualTo(12.0);
        assertThat(level.loadGeneratorCpuSeconds()).isEqualTo(61.75);
        assertThat(level.serverCpuSeconds()).isEqualTo(3.5);
        assertThatThrownBy(() -> PredictBenchmark.Level.parse(50, "wrk: connection refused", 1, 1))
                .hasMessageContaining("unexpected output of wrk");
    }
}
