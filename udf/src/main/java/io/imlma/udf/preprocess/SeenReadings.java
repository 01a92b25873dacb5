package io.imlma.udf.preprocess;

import java.util.Arrays;

/**
 * The readings of one meter in one interval as duplicate suppression needs them: (timestamp, value) pairs packed in a
 * {@code long[]} ({@code [t0, bits(v0), t1, bits(v1), ...]}, values as raw IEEE bits so every double comes back
 * exactly), in arrival order. Compact in state (16 bytes a reading) and serialized by Flink's primitive-array
 * serializer. A {@code null} array is no readings.
 */
final class SeenReadings {
    static final long[] NONE = new long[0];

    private SeenReadings() {}

    static int size(long[] packed) {
        return packed == null ? 0 : packed.length / 2;
    }

    static long timestamp(long[] packed, int i) {
        return packed[2 * i];
    }

    static double value(long[] packed, int i) {
        return Double.longBitsToDouble(packed[2 * i + 1]);
    }

    /** Index of the reading at {@code timestamp}, or -1. */
    static int indexOf(long[] packed, long timestamp) {
        for (int i = 0, n = size(packed); i < n; i++) {
            if (packed[2 * i] == timestamp) {
                return i;
            }
        }
        return -1;
    }

    /** A new array with the reading appended. */
    static long[] with(long[] packed, long timestamp, double value) {
        int n = size(packed);
        long[] grown = packed == null ? new long[2] : Arrays.copyOf(packed, 2 * n + 2);
        grown[2 * n] = timestamp;
        grown[2 * n + 1] = Double.doubleToRawLongBits(value);
        return grown;
    }
}
