package io.imlma.common.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.imlma.common.types.FeatureRow;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeterFeaturesTest {
    private static final long I = 900_000;
    private static final FeatureSettings SETTINGS = new FeatureSettings(I, 3);

    private final MeterFeatures features = new MeterFeatures();
    private final List<FeatureRow> rows = new ArrayList<>();

    private static IntervalAccumulator readings(double... values) {
        IntervalAccumulator acc = new IntervalAccumulator();
        for (int i = 0; i < values.length; i++) {
            acc.add(values[i], 100 + i);
        }
        return acc;
    }

    @Test
    void aggregatesAnIntervalAndScoresItAfterUpdatingTheStatistics() {
        features.observe("m", 0, readings(1, 5, 3), SETTINGS, rows::add);
        features.observe("m", I, readings(7), SETTINGS, rows::add);

        assertThat(rows).extracting(FeatureRow::windowStart, FeatureRow::windowEnd, FeatureRow::mean, FeatureRow::min,
                FeatureRow::max, FeatureRow::count, FeatureRow::imputed, FeatureRow::maxIngestTime).containsExactly(
                        tuple(0L, I, 3.0, 1.0, 5.0, 3L, false, 102L),
                        tuple(I, 2 * I, 7.0, 7.0, 7.0, 1L, false, 100L));
        // 3 and 7: mean 5, population deviation 2
        assertThat(rows).extracting(FeatureRow::standardized).containsExactly(0.0, 1.0);
        assertThat(features.nextStart()).isEqualTo(2 * I);
    }

    @Test
    void imputesGapsWithTheRunningMeanWithoutCountingThem() {
        features.observe("m", 0, readings(2), SETTINGS, rows::add);
        features.observe("m", I, readings(4), SETTINGS, rows::add);
        int imputed = features.observe("m", 4 * I, readings(9), SETTINGS, rows::add);

        assertThat(imputed).isEqualTo(2);
        assertThat(rows).extracting(r -> r.windowStart() / I, FeatureRow::mean, FeatureRow::count, FeatureRow::imputed,
                FeatureRow::warmUp).containsExactly(
                        tuple(0L, 2.0, 1L, false, true),
                        tuple(1L, 4.0, 1L, false, true),
                        tuple(2L, 3.0, 0L, true, true),
                        tuple(3L, 3.0, 0L, true, true),
                        tuple(4L, 9.0, 1L, false, false));
        assertThat(rows.get(2).standardized()).isZero(); // the running mean scores 0
        assertThat(features.statistics().count()).isEqualTo(3);
    }

    @Test
    void imputesNothingBeforeTheFirstInterval() {
        assertThat(features.imputeUntil("m", 10 * I, SETTINGS, rows::add)).isZero();
        assertThat(features.started()).isFalse();
        features.observe("m", 5 * I, readings(1), SETTINGS, rows::add);
        assertThat(rows).hasSize(1);
        assertThat(features.imputeUntil("m", 8 * I, SETTINGS, rows::add)).isEqualTo(2);
        assertThat(features.nextStart()).isEqualTo(8 * I);
    }

    @Test
    void refusesAnIntervalAlreadyEmitted() {
        features.observe("m", I, readings(1), SETTINGS, rows::add);
        assertThatThrownBy(() -> features.observe("m", 0, readings(2), SETTINGS, rows::add))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("before the next one owed");
    }

    @Test
    void alignsIntervalsToTheEpoch() {
        assertThat(SETTINGS.intervalStart(2 * I + 5)).isEqualTo(2 * I);
        assertThat(SETTINGS.intervalStart(2 * I)).isEqualTo(2 * I);
        assertThat(SETTINGS.intervalStart(-1)).isEqualTo(-I);
    }
}
