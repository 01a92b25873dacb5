package io.imlma.ml.model;

import io.imlma.ml.data.Dataset;
import org.hipparchus.stat.descriptive.StreamingStatistics;

/**
 * Z-score statistics of the features and the target, fitted on training rows only. Constant columns (e.g. a
 * calendar feature over a short window) get a unit scale so they pass through centred instead of dividing by zero.
 */
public record Scaler(double[] featureMeans, double[] featureScales, double targetMean, double targetScale) {

    public static Scaler fit(Dataset train) {
        int d = train.featureCount();
        double[] means = new double[d];
        double[] scales = new double[d];
        for (int j = 0; j < d; j++) {
            StreamingStatistics column = new StreamingStatistics();
            for (double[] row : train.features()) {
                column.addValue(row[j]);
            }
            means[j] = column.getMean();
            scales[j] = usableScale(column.getStandardDeviation());
        }
        StreamingStatistics target = new StreamingStatistics();
        for (double y : train.targets()) {
            target.addValue(y);
        }
        return new Scaler(means, scales, target.getMean(), usableScale(target.getStandardDeviation()));
    }

    private static double usableScale(double sd) {
        return sd > 1e-12 && Double.isFinite(sd) ? sd : 1.0;
    }

    public double[] scaleFeatures(double[] x) {
        double[] z = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            z[j] = (x[j] - featureMeans[j]) / featureScales[j];
        }
        return z;
    }

    public double scaleTarget(double y) {
        return (y - targetMean) / targetScale;
    }

    public double unscaleTarget(double z) {
        return z * targetScale + targetMean;
    }

    /** Features and targets of {@code data} on this scaler's scale. */
    public ScaledData apply(Dataset data) {
        double[][] x = new double[data.size()][];
        double[] y = new double[data.size()];
        for (int i = 0; i < data.size(); i++) {
            x[i] = scaleFeatures(data.features()[i]);
            y[i] = scaleTarget(data.targets()[i]);
        }
        return new ScaledData(x, y);
    }

    /** Standardized features and targets, as trainers see them. */
    public record ScaledData(double[][] x, double[] y) {
        public int size() {
            return y.length;
        }
    }
}
