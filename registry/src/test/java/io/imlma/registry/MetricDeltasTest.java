package io.imlma.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MetricDeltasTest {

    @Test
    void positiveDeltaMeansTheMetricWentUpEvenForANegativeBase() {
        MetricDeltas d = MetricDeltas.between(4, new VersionMetrics(0.5, 0.2, -0.5),
                new VersionMetrics(0.25, 0.3, -0.25));

        assertThat(d.mse()).isCloseTo(-0.5, within(1e-12));   // (0.25-0.5)/0.5
        assertThat(d.mae()).isCloseTo(0.5, within(1e-12));    // (0.3-0.2)/0.2
        assertThat(d.r2()).isCloseTo(0.5, within(1e-12));     // (-0.25+0.5)/|-0.5|
    }

    @Test
    void zeroBaseHasNoRelativeChange() {
        MetricDeltas d = MetricDeltas.between(1, new VersionMetrics(0, 0.1, 0), new VersionMetrics(0.1, 0.1, 0.3));

        assertThat(d.mse()).isNull();
        assertThat(d.mae()).isEqualTo(0.0);
        assertThat(d.r2()).isNull();
    }
}
