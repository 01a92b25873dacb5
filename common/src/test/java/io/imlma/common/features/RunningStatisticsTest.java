package io.imlma.common.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.hipparchus.stat.descriptive.moment.Mean;
import org.hipparchus.stat.descriptive.moment.Variance;
import org.junit.jupiter.api.Test;

class RunningStatisticsTest {

    @Test
    void scoresAgainstThePopulationDeviationOfTheValuesSoFar() {
        Random random = new Random(7);
        double[] x = new double[500];
        RunningStatistics running = new RunningStatistics();
        for (int k = 0; k < x.length; k++) {
            x[k] = 40 + 15 * random.nextGaussian();
            running.add(x[k]);
            double mean = new Mean().evaluate(x, 0, k + 1);
            double populationStd = Math.sqrt(new Variance(false).evaluate(x, 0, k + 1));
            double expected = populationStd > 0 ? (x[k] - mean) / populationStd : 0;
            assertThat(running.zScore(x[k])).isCloseTo(expected, within(1e-9));
            assertThat(running.count()).isEqualTo(k + 1);
            assertThat(running.mean()).isCloseTo(mean, within(1e-9));
        }
    }

    @Test
    void aZeroDeviationScoresZero() {
        RunningStatistics running = new RunningStatistics();
        assertThat(running.zScore(3)).isZero();
        running.add(3);
        running.add(3);
        assertThat(running.zScore(5)).isZero();
        running.add(5);
        assertThat(running.zScore(5)).isGreaterThan(0);
    }

    @Test
    void restoresFromItsThreeNumbers() {
        RunningStatistics a = new RunningStatistics();
        a.add(1);
        a.add(4);
        RunningStatistics b = new RunningStatistics(a.count(), a.mean(), a.m2());
        a.add(9);
        b.add(9);
        assertThat(b.zScore(2)).isEqualTo(a.zScore(2));
    }
}
