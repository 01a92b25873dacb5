package io.imlma.udf.preprocess;

import io.imlma.common.features.MeterFeatures;
import io.imlma.common.features.RunningStatistics;
import java.util.ArrayList;
import java.util.List;

/**
 * All the keyed preprocessing keeps for one meter in its one value state, so that a reading costs one state read
 * and at most one write ({@link PreprocessReadings}). Schema (format version 2 of {@link MeterStateSerializer}):
 * <pre>
 *   features      MeterFeatures: nextStart long, sumOfMeans double, Welford count long, mean double, m2 double
 *   open          intervals not yet closed by the watermark, by start: start long, maxIngestTime long,
 *                 readings (timestamp, value) pairs (see {@link SeenReadings})
 *   recent        the meter's last in-bounds reading values, oldest first, for the outlier rule
 *                 ({@link Plausibility}); version 1 had no such field
 * </pre>
 * Usually one interval is open (two around an interval's end, within the out-of-orderness bound), so a meter
 * reporting once an interval costs about 80 bytes plus 8 per remembered value (48 by default). Later per-meter
 * knowledge becomes another field here and a new format version; docs/state.md says how the state evolves.
 */
final class MeterState {
    static final double[] NO_VALUES = {};

    final MeterFeatures features;
    /** sorted by start */
    final List<OpenInterval> open;
    /** oldest first; see {@link Plausibility#remember} */
    double[] recent;

    MeterState(MeterFeatures features, List<OpenInterval> open, double[] recent) {
        this.features = features;
        this.open = open;
        this.recent = recent;
    }

    MeterState() {
        this(new MeterFeatures(), new ArrayList<>(2), NO_VALUES);
    }


    /** The open interval starting at {@code start}, or null. */
    OpenInterval openInterval(long start) {
        for (OpenInterval interval : open) {
            if (interval.start == start) {
                return interval;
            }
        }
        return null;
    }

    /** Opens the interval starting at {@code start}, keeping {@link #open} sorted. */
    OpenInterval openNew(long start) {
        int at = 0;
        while (at < open.size() && open.get(at).start < start) {
            at++;
        }
        OpenInterval interval = new OpenInterval(start);
        open.add(at, interval);
        return interval;
    }

    MeterState copy() {
        RunningStatistics s = features.statistics();
        List<OpenInterval> intervals = new ArrayList<>(open.size());
        open.forEach(i -> intervals.add(i.copy()));
        return new MeterState(new MeterFeatures(features.nextStart(), features.sumOfMeans(),
                new RunningStatistics(s.count(), s.mean(), s.m2())), intervals, recent.clone());
    }
}
