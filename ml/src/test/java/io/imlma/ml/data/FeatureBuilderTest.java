package io.imlma.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.imlma.common.types.FeatureRow;
import io.imlma.ml.model.Scaler;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureBuilderTest {
    private static final long INTERVAL = 900_000L;
    private static final long MONDAY_MIDNIGHT = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();

    private static List<FeatureRow> rows(int n, long start) {
        List<FeatureRow> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long t = start + i * INTERVAL;
            rows.add(new FeatureRow("m1", t, t + INTERVAL, i, i, i, 1, 0, false, false, t));
        }
        return rows;
    }

    @Test
    void lagsAreThePrecedingValuesAndBaselinesLineUp() {
        FeatureBuilder builder = new FeatureBuilder(new FeatureSpec(3, 4, false, ZoneId.of("UTC")));

        Dataset data = builder.build(rows(10, MONDAY_MIDNIGHT));

        assertThat(data.size()).isEqualTo(6); // targets 4..9: four rows of history for the seasonal value
        assertThat(data.features()[0]).containsExactly(3, 2, 1);
        assertThat(data.targets()[0]).isEqualTo(4);
        assertThat(data.lastValues()[0]).isEqualTo(3);
        assertThat(data.seasonalValues()[0]).isEqualTo(0);
        assertThat(data.targetTimes()[0]).isEqualTo(MONDAY_MIDNIGHT + 4 * INTERVAL);
        assertThat(data.featureNames()).containsExactly("lag_1", "lag_2", "lag_3");
    }

    @Test
    void calendarFeaturesEncodeTimeOfDayAndWeekday() {
        FeatureBuilder builder = new FeatureBuilder(new FeatureSpec(1, 1, true, ZoneId.of("UTC")));
        long sixOClockMonday = MONDAY_MIDNIGHT + 6 * 3_600_000L;

        double[] x = builder.features(new double[] {5.0}, sixOClockMonday);

        assertThat(x[0]).isEqualTo(5.0);
        assertThat(x[1]).isCloseTo(1.0, within(1e-12)); // sin of a quarter day
        assertThat(x[2]).isCloseTo(0.0, within(1e-12));
        assertThat(x[3]).isCloseTo(Math.sin(2 * Math.PI * 0.25 / 7), within(1e-12));
        assertThat(x[4]).isCloseTo(Math.cos(2 * Math.PI * 0.25 / 7), within(1e-12));
    }

    @Test
    void imputedTargetsAreSkippedButServeAsLags() {
        List<FeatureRow> rows = rows(6, MONDAY_MIDNIGHT);
        FeatureRow r = rows.get(3);
        rows.set(3, new FeatureRow("m1", r.windowStart(), r.windowEnd(), 42, 42, 42, 0, 0, true, false, 0));
        FeatureBuilder builder = new FeatureBuilder(new FeatureSpec(2, 2, false, ZoneId.of("UTC")));

        Dataset data = builder.build(rows);

        assertThat(data.targets()).containsExactly(2, 4, 5);
        assertThat(data.features()[1]).containsExactly(42, 2);
    }

    @Test
    void refusesGapsAndTooLittleData() {
        List<FeatureRow> rows = rows(10, MONDAY_MIDNIGHT);
        rows.remove(5);
        FeatureBuilder builder = new FeatureBuilder(new FeatureSpec(2, 2, false, ZoneId.of("UTC")));

        assertThatThrownBy(() -> builder.build(rows)).hasMessageContaining("not consecutive");
        assertThatThrownBy(() -> builder.build(rows(2, MONDAY_MIDNIGHT))).hasMessageContaining("need more than 2");
    }

    @Test
    void splitIsTimeOrderedAndScalingSeesOnlyTrainingRows() {
        Dataset data = new FeatureBuilder(new FeatureSpec(1, 1, false, ZoneId.of("UTC")))
                .build(rows(101, MONDAY_MIDNIGHT)); // targets 1..100, rising

        Dataset.Split split = data.split();

        assertThat(split.train().size()).isEqualTo(70);
        assertThat(split.validation().size()).isEqualTo(15);
        assertThat(split.test().size()).isEqualTo(15);
        long lastTrain = split.train().targetTimes()[69];
        assertThat(Arrays.stream(split.validation().targetTimes())).allMatch(t -> t > lastTrain);
        Scaler scaler = Scaler.fit(split.train());
        assertThat(scaler.featureMeans()[0]).isCloseTo(34.5, within(1e-9)); // lag_1 over 0..69, not 0..99
        assertThat(scaler.targetMean()).isCloseTo(1.0, within(1e-9)); // change from lag_1
        assertThat(data.window(MONDAY_MIDNIGHT + 91 * INTERVAL, Long.MAX_VALUE).targets())
                .containsExactly(91, 92, 93, 94, 95, 96, 97, 98, 99, 100);
    }
}
