package io.imlma.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
        assertThat(figures.rows()).isEqualTo(20 * 8);
        assertThat(figures.latencyP50Ms()).isNotNegative()
                .isLessThanOrEqualTo(figures.latencyP99Ms());
        assertThat(figures.latencyP99Ms()).isLessThanOrEqualTo(figures.latencyMaxMs());
    }

    @Test
    void aSecondRunInTheSameJvmCountsOnlyItsOwnRows() throws Exception {
        PipelineBenchmark.run(PipelineBenchmark.Options.of(10, 4));
        assertThat(PipelineBenchmark.run(PipelineBenchmark.Options.of(10, 4)).latencyRows()).isEqualTo(10 * 4);
    }

    @Test
    void theSqlPeerMakesAWindowPerMeterAndIntervalLikeOursAndTheRatioIsTheLastLine() throws Exception {
        PipelineBenchmark.Comparison comparison = PipelineBenchmark.compare(PipelineBenchmark.Options.of(10, 6));

        // the generated meters have no gaps, so ours imputes nothing and both make one row per (meter, interval)
        assertThat(comparison.sql().rows()).isEqualTo(10 * 6).isEqualTo(comparison.ours().rows());
        assertThat(comparison.sql().records()).isEqualTo(comparison.ours().records());
        assertThat(comparison.sql().cpuSeconds()).isPositive();
        var text = new ByteArrayOutputStream();
        comparison.printTo(new PrintStream(text, true, StandardCharsets.UTF_8));
        List<String> lines = text.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(lines.size() - 1)).matches("ratio to the Flink SQL pipeline: \\d+\\.\\d\\d×")
                .isEqualTo(String.format(java.util.Locale.ROOT, "ratio to the Flink SQL pipeline: %.2f×",
                        comparison.ratio()));
        assertThat(lines).anyMatch(l -> l.startsWith("Flink SQL peer"));
    }
}
