package io.imlma.ml.horizon;

import io.imlma.common.types.FeatureRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One run of consecutive interval values of one series (a meter or channel), with no gap inside: windows are cut
 * from a run only, so no window crosses a gap.
 *
 * @param id             the series, e.g. the meter id
 * @param firstStart     start of the first interval, epoch ms
 * @param intervalMillis interval length
 * @param values         interval means, oldest first
 * @param imputed        per interval: no reading arrived, the value is the streaming job's running mean; such a
 *                       value may serve as an input but never as a target
 */
public record Series(String id, long firstStart, long intervalMillis, double[] values, boolean[] imputed) {

    public Series {
        if (values.length != imputed.length) {
            throw new IllegalArgumentException("values and imputed flags differ in length: " + values.length + ", "
                    + imputed.length);
        }
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("interval must be positive, got " + intervalMillis);
        }
    }

    /** A fully measured run. */
    public static Series measured(String id, long firstStart, long intervalMillis, double[] values) {
        return new Series(id, firstStart, intervalMillis, values, new boolean[values.length]);
    }

    public int length() {
        return values.length;
    }

    /** Start time of interval {@code index}. */
    public long startOf(int index) {
        return firstStart + index * intervalMillis;
    }

    /**
     * Snapshot feature rows of any meters, in any order, as runs of consecutive intervals: per meter sorted by
     * time, duplicates of an interval dropped (the first kept), and a new run started at every gap. Runs are
     * ordered by meter id, then time.
     */
    public static List<Series> fromRows(List<FeatureRow> rows) {
        Map<String, List<FeatureRow>> byMeter = rows.stream()
                .collect(Collectors.groupingBy(FeatureRow::meterId, TreeMap::new, Collectors.toList()));
        List<Series> runs = new ArrayList<>();
        byMeter.forEach((meter, meterRows) -> {
            List<FeatureRow> sorted = new ArrayList<>(meterRows);
            sorted.sort(Comparator.comparingLong(FeatureRow::windowStart));
            List<FeatureRow> run = new ArrayList<>();
            for (FeatureRow row : sorted) {
                if (!run.isEmpty()) {
                    FeatureRow last = run.get(run.size() - 1);
                    if (row.windowStart() == last.windowStart()) {
                        continue;
                    }
                    if (row.windowStart() != last.windowEnd() || row.windowEnd() - row.windowStart()
                            != last.windowEnd() - last.windowStart()) {
                        runs.add(toSeries(meter, run));
                        run = new ArrayList<>();
                    }
                }
                run.add(row);
            }
            if (!run.isEmpty()) {
                runs.add(toSeries(meter, run));
            }
        });
        return runs;
    }

    private static Series toSeries(String meter, List<FeatureRow> run) {
        double[] values = new double[run.size()];
        boolean[] imputed = new boolean[run.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = run.get(i).mean();
            imputed[i] = run.get(i).imputed();
        }
        FeatureRow first = run.get(0);
        return new Series(meter, first.windowStart(), first.windowEnd() - first.windowStart(), values, imputed);
    }
}
