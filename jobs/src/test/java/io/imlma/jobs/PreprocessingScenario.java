package io.imlma.jobs;

import static io.imlma.jobs.kafka.TestTopics.INTERVAL;
import static io.imlma.jobs.kafka.TestTopics.T0;
import static io.imlma.jobs.kafka.TestTopics.reading;
import static org.assertj.core.api.Assertions.tuple;

import io.imlma.common.types.FeatureRow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.hipparchus.stat.StatUtils;

/**
 * The readings the preprocessing tests send, in memory ({@link MeterPipelineJobTest}) and through Kafka
 * ({@code KafkaPipelineIT}), and the z-scores their features must carry. Meter A has a re-send, a conflict, an
 * out-of-order and a late reading and three malformed records; meter B goes silent after two intervals.
 */
public final class PreprocessingScenario {
    public static final String MALFORMED = "{\"meterId\":\"A\",\"timestamp\":";
    public static final String MISSING_TIMESTAMP = "{\"meterId\":\"A\",\"value\":1}";
    public static final String INFINITE = reading("A", 3, "1e999");
    public static final String LATE = reading("A", 10, "7");
    /** The means of meter A's observed intervals 0, 1, 2, ... */
    private static final double[] OBSERVED_A = {3, 4, 6, 8, 9, 10};
    /** {@link #summary} of A's features: interval 0 from three readings (1, 3 and the out-of-order 5), warming up. */
    private static final List<Tuple> FEATURES_OF_A = List.of(
            tuple("A", 0L, 3.0, 1.0, 5.0, 3L, false, true),
            tuple("A", 1L, 4.0, 4.0, 4.0, 1L, false, false),
            tuple("A", 2L, 6.0, 6.0, 6.0, 1L, false, false),
            tuple("A", 3L, 8.0, 8.0, 8.0, 1L, false, false),
            tuple("A", 4L, 9.0, 9.0, 9.0, 1L, false, false),
            tuple("A", 5L, 10.0, 10.0, 10.0, 1L, false, false));
    /** {@link #summary} of B's features: its running mean (10 + 12) / 2 fills the silent intervals 2 and 3. */
    private static final List<Tuple> FEATURES_OF_B = List.of(
            tuple("B", 0L, 10.0, 10.0, 10.0, 1L, false, true),
            tuple("B", 1L, 12.0, 12.0, 12.0, 1L, false, false),
            tuple("B", 2L, 11.0, 11.0, 11.0, 0L, true, false),
            tuple("B", 3L, 11.0, 11.0, 11.0, 0L, true, false));

    private PreprocessingScenario() {}

    /** In topic order; watermark = newest timestamp − 2 min, a window [s, s+15) closes once it reaches s+15 − 1 ms. */
    public static List<String> readings() {
        return List.of(
                reading("A", 1, "1"),
                reading("B", 2, "10"),
                reading("A", 5, "3"),
                reading("A", 5, "3"),       // exact re-send: dropped
                MALFORMED,
                reading("A", 5, "9"),       // conflict: the first value, 3, is kept
                reading("A", 16, "4"),
                reading("A", 14, "5"),      // out of order but within the 2-minute bound: counts for interval 0
                reading("B", 17, "12"),     // B's last reading: silent from here on
                MISSING_TIMESTAMP,
                reading("A", 31, "6"),      // watermark 29 min: interval 0 closes
                LATE,                       // interval 0 has been emitted without it
                INFINITE,
                reading("A", 46, "8"),      // watermark 44 min: interval 1 closes
                reading("A", 61, "9"),      // watermark 59 min: interval 2 closes, B's interval 2 is imputed
                reading("A", 76, "10"));    // watermark 74 min: interval 3 closes, B's interval 3 is imputed
    }

    /** A feature row as (meter, interval since T0, mean, min, max, count, imputed, warm-up). */
    public static Tuple summary(FeatureRow row) {
        return tuple(row.meterId(), (row.windowStart() - T0) / INTERVAL, row.mean(), row.min(), row.max(),
                row.count(), row.imputed(), row.warmUp());
    }

    /** The summaries of the features, by meter and interval, once A's first {@code intervalsOfA} have closed. */
    public static List<Tuple> expectedFeatures(int intervalsOfA) {
        List<Tuple> expected = new ArrayList<>(FEATURES_OF_A.subList(0, intervalsOfA));
        expected.addAll(FEATURES_OF_B);
        return expected;
    }

    /** The z-score of meter A's interval {@code k} against A's observed interval means so far (population std). */
    public static double zOfA(int k) {
        double[] sofar = Arrays.copyOf(OBSERVED_A, k + 1);
        double std = Math.sqrt(StatUtils.populationVariance(sofar));
        return std == 0 ? 0 : (OBSERVED_A[k] - StatUtils.mean(sofar)) / std;
    }
}
