package io.imlma.ml.data;

import io.imlma.common.types.FeatureRow;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one meter's time-ordered feature rows into a supervised data set for forecasting the next interval's mean.
 *
 * <p>Lags are taken from the raw interval means rather than the stream's online z-score: the online statistics keep
 * moving, so the same reading would have a different feature value depending on when it was seen. Scaling is
 * fitted by the model on the training part only. Rows whose target was imputed are not used as targets (their
 * value is the running mean, not a measurement), but imputed values still serve as lag inputs, as they do when
 * the streaming job scores.
 */
public final class FeatureBuilder {
    private final FeatureSpec spec;

    public FeatureBuilder(FeatureSpec spec) {
        this.spec = spec;
    }

    public FeatureSpec spec() {
        return spec;
    }

    /**
     * @throws IllegalArgumentException if rows are not consecutive intervals of one length in time order, or if
     *     there are too few of them for one target
     */
    public Dataset build(List<FeatureRow> rows) {
        checkConsecutive(rows);
        int history = spec.history();
        List<double[]> features = new ArrayList<>();
        List<Double> targets = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        List<Double> last = new ArrayList<>();
        List<Double> seasonal = new ArrayList<>();
        double[] means = rows.stream().mapToDouble(FeatureRow::mean).toArray();
        for (int t = history; t < rows.size(); t++) {
            FeatureRow target = rows.get(t);
            if (target.imputed()) {
                continue;
            }
            features.add(featuresAt(means, t, target.windowStart()));
            targets.add(target.mean());
            times.add(target.windowStart());
            last.add(means[t - 1]);
            seasonal.add(means[t - spec.seasonPeriod()]);
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("need more than " + history + " rows with a measured target, got "
                    + rows.size() + " rows");
        }
        return new Dataset(
                features.toArray(double[][]::new),
                targets.stream().mapToDouble(Double::doubleValue).toArray(),
                times.stream().mapToLong(Long::longValue).toArray(),
                last.stream().mapToDouble(Double::doubleValue).toArray(),
                seasonal.stream().mapToDouble(Double::doubleValue).toArray(),
                spec.featureNames());
    }

    /**
     * The feature vector for forecasting the interval starting at {@code targetWindowStart}, given at least
     * {@code lags} preceding interval means, oldest first; used when scoring a live stream.
     */
    public double[] features(double[] recentMeansOldestFirst, long targetWindowStart) {
        if (recentMeansOldestFirst.length < spec.lags()) {
            throw new IllegalArgumentException("need " + spec.lags() + " recent values, got "
                    + recentMeansOldestFirst.length);
        }
        return featuresAt(recentMeansOldestFirst, recentMeansOldestFirst.length, targetWindowStart);
    }

    private double[] featuresAt(double[] means, int targetIndex, long targetWindowStart) {
        int lags = spec.lags();
        double[] x = new double[spec.featureNames().size()];
        for (int lag = 1; lag <= lags; lag++) {
            x[lag - 1] = means[targetIndex - lag];
        }
        if (spec.calendar()) {
            ZonedDateTime time = java.time.Instant.ofEpochMilli(targetWindowStart).atZone(spec.zone());
            double dayFraction = time.toLocalTime().toSecondOfDay() / 86_400.0;
            double weekFraction = (time.getDayOfWeek().getValue() - 1 + dayFraction) / 7.0;
            x[lags] = Math.sin(2 * Math.PI * dayFraction);
            x[lags + 1] = Math.cos(2 * Math.PI * dayFraction);
            x[lags + 2] = Math.sin(2 * Math.PI * weekFraction);
            x[lags + 3] = Math.cos(2 * Math.PI * weekFraction);
        }
        return x;
    }

    private static void checkConsecutive(List<FeatureRow> rows) {
        for (int i = 1; i < rows.size(); i++) {
            FeatureRow previous = rows.get(i - 1);
            FeatureRow row = rows.get(i);
            if (!row.meterId().equals(previous.meterId())) {
                throw new IllegalArgumentException("rows of two meters: " + previous.meterId() + ", " + row.meterId());
            }
            if (row.windowStart() != previous.windowEnd()) {
                throw new IllegalArgumentException("rows are not consecutive intervals: " + previous.windowEnd()
                        + " is followed by " + row.windowStart() + " (meter " + row.meterId() + ")");
            }
        }
    }
}
