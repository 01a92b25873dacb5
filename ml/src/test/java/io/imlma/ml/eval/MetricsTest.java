package io.imlma.ml.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void computesMseMaeAndR2ByHand() {
        // errors 0, 1, -1, 2; mean of actual 2.5, total sum of squares 5, error sum of squares 6
        Metrics m = Metrics.of(new double[] {1, 2, 3, 4}, new double[] {1, 3, 2, 6});

        assertThat(m.count()).isEqualTo(4);
        assertThat(m.mse()).isCloseTo(1.5, within(1e-12));
        assertThat(m.mae()).isCloseTo(1.0, within(1e-12));
        assertThat(m.r2()).isCloseTo(1 - 6.0 / 5.0, within(1e-12));
    }

    @Test
    void perfectForecastHasZeroErrorAndR2One() {
        Metrics m = Metrics.of(new double[] {2, 4, 9}, new double[] {2, 4, 9});

        assertThat(m.mse()).isZero();
        assertThat(m.mae()).isZero();
        assertThat(m.r2()).isEqualTo(1.0);
    }

    @Test
    void r2IsUndefinedForConstantTargets() {
        assertThat(Metrics.of(new double[] {3, 3}, new double[] {3, 4}).r2()).isNaN();
    }

    @Test
    void rejectsMismatchedLengths() {
        assertThatThrownBy(() -> Metrics.of(new double[] {1, 2}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void relativeChangeFollowsThePaperAndImprovementIsPositiveWhenBetter() {
        MetricChange change = new MetricChange(new Metrics(10, 2.0, 1.0, 0.5), new Metrics(10, 1.5, 0.8, 0.6));

        assertThat(change.relative(Metric.MSE)).isCloseTo(-0.25, within(1e-12));
        assertThat(change.relative(Metric.MAE)).isCloseTo(-0.20, within(1e-12));
        assertThat(change.relative(Metric.R2)).isCloseTo(0.20, within(1e-12));
        assertThat(change.improvement(Metric.MSE)).isCloseTo(0.25, within(1e-12));
        assertThat(change.improvement(Metric.MAE)).isCloseTo(0.20, within(1e-12));
        assertThat(change.improvement(Metric.R2)).isCloseTo(0.20, within(1e-12));
    }

    @Test
    void r2ImprovementKeepsItsSignWhenTheOldR2IsNegative() {
        MetricChange change = new MetricChange(new Metrics(10, 2, 1, -0.5), new Metrics(10, 2, 1, -0.25));

        assertThat(change.relative(Metric.R2)).isCloseTo(-0.5, within(1e-12)); // the formula as written
        assertThat(change.improvement(Metric.R2)).isCloseTo(0.5, within(1e-12)); // yet it did get better
    }

    @Test
    void changeFromZeroIsZeroOrInfinite() {
        MetricChange change = new MetricChange(new Metrics(1, 0, 0, 1), new Metrics(1, 0, 0.5, 1));

        assertThat(change.relative(Metric.MSE)).isZero();
        assertThat(change.relative(Metric.MAE)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(change.improvement(Metric.MAE)).isEqualTo(Double.NEGATIVE_INFINITY);
    }
}
