package io.imlma.ml.horizon;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hipparchus.random.Well19937c;

/**
 * Forecast windows cut from series runs, without copying values: window {@code k} has the inputs
 * {@code values[i − L, i)} and the targets {@code values[i, i + H)} of run {@code seriesIndex(k)}, where
 * {@code i = issueIndex(k)}. A window never crosses a gap (it lies in one run) and never has an imputed target
 * (a running mean is not a measurement); imputed inputs are allowed, as they are when a live stream is scored.
 */
public final class Windows {
    private final HorizonSpec spec;
    private final List<Series> series;
    private final int[] seriesIndex;
    private final int[] issueIndex;

    private Windows(HorizonSpec spec, List<Series> series, int[] seriesIndex, int[] issueIndex) {
        this.spec = spec;
        this.series = series;
        this.seriesIndex = seriesIndex;
        this.issueIndex = issueIndex;
    }

    /** Every window of {@code runs}. */
    public static Windows all(List<Series> runs, HorizonSpec spec) {
        return between(runs, spec, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /**
     * The windows whose issue time (start of the first target) is at or after {@code fromIssueTime} and whose last
     * target interval ends at or before {@code toTargetEnd}; inputs may reach back before {@code fromIssueTime},
     * as in the published ETT splits.
     */
    public static Windows between(List<Series> runs, HorizonSpec spec, long fromIssueTime, long toTargetEnd) {
        List<Series> kept = List.copyOf(runs);
        int l = spec.inputLength();
        int h = spec.horizon();
        IntList seriesOf = new IntList();
        IntList issues = new IntList();
        for (int s = 0; s < kept.size(); s++) {
            Series run = kept.get(s);
            int[] imputedBefore = new int[run.length() + 1];
            for (int i = 0; i < run.length(); i++) {
                imputedBefore[i + 1] = imputedBefore[i] + (run.imputed()[i] ? 1 : 0);
            }
            for (int i = l; i + h <= run.length(); i++) {
                if (run.startOf(i) >= fromIssueTime && run.startOf(i + h) <= toTargetEnd
                        && imputedBefore[i + h] == imputedBefore[i]) {
                    seriesOf.add(s);
                    issues.add(i);
                }
            }
        }
        return new Windows(spec, kept, seriesOf.toArray(), issues.toArray());
    }

    /**
     * The time-ordered split the retraining loop uses, per series id: the cut times are where the first
     * {@code trainFraction} (then {@code trainFraction + validationFraction}) of the id's intervals end. A
     * window belongs to the part its targets lie in; windows whose targets straddle a cut are left out, so no
     * validation or test target is ever a training target.
     */
    public static Split split(List<Series> runs, HorizonSpec spec, double trainFraction, double validationFraction) {
        if (trainFraction <= 0 || validationFraction <= 0 || trainFraction + validationFraction >= 1) {
            throw new IllegalArgumentException("fractions must be positive and leave room for a test part: "
                    + trainFraction + ", " + validationFraction);
        }
        Map<String, List<Series>> byId = new LinkedHashMap<>();
        runs.forEach(r -> byId.computeIfAbsent(r.id(), id -> new ArrayList<>()).add(r));
        List<Windows> train = new ArrayList<>();
        List<Windows> validation = new ArrayList<>();
        List<Windows> test = new ArrayList<>();
        byId.values().forEach(idRuns -> {
            long firstCut = cutTime(idRuns, trainFraction);
            long secondCut = cutTime(idRuns, trainFraction + validationFraction);
            train.add(between(idRuns, spec, Long.MIN_VALUE, firstCut));
            validation.add(between(idRuns, spec, firstCut, secondCut));
            test.add(between(idRuns, spec, secondCut, Long.MAX_VALUE));
        });
        return new Split(concat(spec, train), concat(spec, validation), concat(spec, test));
    }

    /** Start time of the interval before which {@code fraction} of the runs' intervals lie (runs in time order). */
    private static long cutTime(List<Series> runs, double fraction) {
        List<Series> ordered = new ArrayList<>(runs);
        ordered.sort(java.util.Comparator.comparingLong(Series::firstStart));
        long total = ordered.stream().mapToLong(Series::length).sum();
        long cut = Math.round(total * fraction);
        for (Series run : ordered) {
            if (cut < run.length()) {
                return run.startOf((int) cut);
            }
            cut -= run.length();
        }
        Series last = ordered.get(ordered.size() - 1);
        return last.startOf(last.length());
    }

    /** Windows of several sets with the same spec, in order. */
    public static Windows concat(HorizonSpec spec, List<Windows> parts) {
        List<Series> runs = new ArrayList<>();
        IntList seriesOf = new IntList();
        IntList issues = new IntList();
        for (Windows part : parts) {
            if (!part.spec.equals(spec)) {
                throw new IllegalArgumentException("windows of another spec: " + part.spec + ", expected " + spec);
            }
            int offset = runs.size();
            runs.addAll(part.series);
            for (int k = 0; k < part.size(); k++) {
                seriesOf.add(offset + part.seriesIndex[k]);
                issues.add(part.issueIndex[k]);
            }
        }
        return new Windows(spec, List.copyOf(runs), seriesOf.toArray(), issues.toArray());
    }

    /** At most {@code max} windows drawn without replacement (seeded), kept in their order. */
    public Windows subsample(int max, long seed) {
        if (max >= size()) {
            return this;
        }
        int[] order = new int[size()];
        Arrays.setAll(order, k -> k);
        Well19937c random = new Well19937c(seed);
        for (int k = 0; k < max; k++) {
            int j = k + random.nextInt(size() - k);
            int swap = order[k];
            order[k] = order[j];
            order[j] = swap;
        }
        int[] chosen = Arrays.copyOf(order, max);
        Arrays.sort(chosen);
        int[] s = new int[max];
        int[] i = new int[max];
        for (int k = 0; k < max; k++) {
            s[k] = seriesIndex[chosen[k]];
            i[k] = issueIndex[chosen[k]];
        }
        return new Windows(spec, series, s, i);
    }

    public HorizonSpec spec() {
        return spec;
    }

    public int size() {
        return issueIndex.length;
    }

    public Series series(int window) {
        return series.get(seriesIndex[window]);
    }

    /** Index in its run of the window's first target. */
    public int issueIndex(int window) {
        return issueIndex[window];
    }

    /** Start of the window's first target interval, epoch ms. */
    public long issueTime(int window) {
        return series(window).startOf(issueIndex[window]);
    }

    /** The window's L input values, oldest first (a copy). */
    public double[] inputs(int window) {
        int i = issueIndex[window];
        return Arrays.copyOfRange(series(window).values(), i - spec.inputLength(), i);
    }

    /** The window's H target values (a copy). */
    public double[] targets(int window) {
        int i = issueIndex[window];
        return Arrays.copyOfRange(series(window).values(), i, i + spec.horizon());
    }

    /** One split into time-ordered parts. */
    public record Split(Windows train, Windows validation, Windows test) {}

    /** A growable int array, so a million windows are not a million boxed integers. */
    private static final class IntList {
        private int[] values = new int[1024];
        private int size;

        void add(int value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
