package io.imlma.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Runs the benchmark at a tiny size and checks that its figures are consistent, not how fast it was. */
class PipelineBenchmarkTest {
    @Test
    void tinyRunCountsEveryRecordAndOrdersItsLatencyPercentiles() throws Exception {
        PipelineBenchmark.Figures figures = PipelineBenchmark.run(PipelineBenchmark.Options.of(20, 8));

        assertThat(figures.readings()).isEqualTo(20 * 8);
        assertThat(figures.resends()).isEqualTo(20 * 8 / 49);
        assertThat(figures.seconds()).isPositive();
        assertThat(figures.cpuSeconds()).isPositive();
        assertThat(figures.recordsPerSecond()).isPositive();
        assertThat(figures.recordsPerCpuSecond()).isPositive();
        // the last interval's windows close at the end of input, so every meter has rows for each interval
        assertThat(figures.latencyRows()).isEqualTo(20 * 8);
        assertThat(figures.latencyP50Ms()).isNotNegative()
                .isLessThanOrEqualTo(figures.latencyP99Ms());
        assertThat(figures.latencyP99Ms()).isLessThanOrEqualTo(figures.latencyMaxMs());
    }

    @Test
    void aSecondRunInTheSameJvmCountsOnlyItsOwnRows() throws Exception {
        PipelineBenchmark.run(PipelineBenchmark.Options.of(10, 4));
        assertThat(PipelineBenchmark.run(PipelineBenchmark.Options.of(10, 4)).latencyRows()).isEqualTo(10 * 4);
    }
}
