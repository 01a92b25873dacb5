package io.imlma.jobs;

import static io.imlma.jobs.kafka.TestTopics.reading;

import java.util.Arrays;
import java.util.List;
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

    /** The z-score of meter A's interval {@code k} against A's observed interval means so far (population std). */
    public static double zOfA(int k) {
        double[] sofar = Arrays.copyOf(OBSERVED_A, k + 1);
        double std = Math.sqrt(StatUtils.populationVariance(sofar));
        return std == 0 ? 0 : (OBSERVED_A[k] - StatUtils.mean(sofar)) / std;
    }
}
