package io.imlma.ml.data;

import java.util.Arrays;
import java.util.List;

/**
 * A supervised forecasting data set in time order: one row of features per target interval.
 *
 * @param features       feature vectors on their raw scale (scaling belongs to the model, fitted on training data)
 * @param targets        the interval's raw mean, in the meter's own units
 * @param targetTimes    window start of each target interval, epoch ms
 * @param lastValues     the value one interval before the target (the last-value baseline's forecast)
 * @param seasonalValues the value one season before the target (the seasonal baseline's forecast)
 * @param featureNames   one name per feature column
 */
public record Dataset(
        double[][] features,
        double[] targets,
        long[] targetTimes,
        double[] lastValues,
        double[] seasonalValues,
        List<String> featureNames) {

    public Dataset {
        int n = targets.length;
        if (features.length != n || targetTimes.length != n || lastValues.length != n || seasonalValues.length != n) {
            throw new IllegalArgumentException("all columns of a data set must have the same number of rows");
        }
        featureNames = List.copyOf(featureNames);
    }

    public int size() {
        return targets.length;
    }

    public int featureCount() {
        return featureNames.size();
    }

    /** Rows {@code [from, to)}. */
    public Dataset slice(int from, int to) {
        return new Dataset(
                Arrays.copyOfRange(features, from, to),
                Arrays.copyOfRange(targets, from, to),
                Arrays.copyOfRange(targetTimes, from, to),
                Arrays.copyOfRange(lastValues, from, to),
                Arrays.copyOfRange(seasonalValues, from, to),
                featureNames);
    }

    /** Rows whose target interval starts in {@code [fromMillis, toMillis)}, e.g. a common evaluation window. */
    public Dataset window(long fromMillis, long toMillis) {
        int from = 0;
        while (from < size() && targetTimes[from] < fromMillis) {
            from++;
        }
        int to = from;
        while (to < size() && targetTimes[to] < toMillis) {
            to++;
        }
        return slice(from, to);
    }

    /** Time-ordered split: the first {@code trainFraction} trains, the next {@code validationFraction} validates. */
    public Split split(double trainFraction, double validationFraction) {
        if (trainFraction <= 0 || validationFraction <= 0 || trainFraction + validationFraction >= 1) {
            throw new IllegalArgumentException("fractions must be positive and leave room for a test part: "
                    + trainFraction + ", " + validationFraction);
        }
        int trainEnd = (int) Math.round(size() * trainFraction);
        int validationEnd = (int) Math.round(size() * (trainFraction + validationFraction));
        if (trainEnd == 0 || validationEnd == trainEnd || validationEnd == size()) {
            throw new IllegalArgumentException("too few rows (" + size() + ") for a train/validation/test split");
        }
        return new Split(slice(0, trainEnd), slice(trainEnd, validationEnd), slice(validationEnd, size()));
    }

    /** The paper's 70 / 15 / 15 split. */
    public Split split() {
        return split(0.70, 0.15);
    }

    /** The three time-ordered parts; every validation time is after every training time, and so on. */
    public record Split(Dataset train, Dataset validation, Dataset test) {}
}
