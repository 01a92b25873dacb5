package io.imlma.ml.model;

import io.imlma.ml.data.Dataset;
import org.hipparchus.stat.descriptive.StreamingStatistics;

/**
 * Z-score statistics of the features and the target, fitted on training rows only. Constant columns (e.g. a
 * calendar feature over a short window) get a unit scale so they pass through centred instead of dividing by zero.
 *
 * <p>When the features contain {@code lag_1} ({@code anchor} is its column, else −1), the scaled target is the
 * change from that last value rather than the level: load series wander in level between training and test
 * windows, and a model that learns the change falls back to the last-value forecast when it learns nothing.
 */
public record Scaler(double[] featureMeans, double[] featureScales, double targetMean, double targetScale, int anchor) {
    public static final String ANCHOR_FEATURE = "lag_1";

    public static Scaler fit(Dataset train) {
        int anchor = train.featureNames().indexOf(ANCHOR_FEATURE);
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
        for (int i = 0; i < train.size(); i++) {
            target.addValue(train.targets()[i] - anchorValue(anchor, train.features()[i]));
        }
        return new Scaler(means, scales, target.getMean(), usableScale(target.getStandardDeviation()), anchor);
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

    /** The training target for raw features {@code x} and raw value {@code y}. */
    public double scaleTarget(double y, double[] x) {
        return (y - anchorValue(anchor, x) - targetMean) / targetScale;
    }

    /** The raw forecast for raw features {@code x} from a model output {@code z}. */
    public double unscaleTarget(double z, double[] x) {
        return z * targetScale + targetMean + anchorValue(anchor, x);
    }

    private static double anchorValue(int anchor, double[] x) {
        return anchor >= 0 ? x[anchor] : 0.0;
    }

    /** Features and targets of {@code data} on this scaler's scale. */
    public ScaledData apply(Dataset data) {
        double[][] x = new double[data.size()][];
        double[] y = new double[data.size()];
        for (int i = 0; i < data.size(); i++) {
            x[i] = scaleFeatures(data.features()[i]);
            y[i] = scaleTarget(data.targets()[i], data.features()[i]);
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
