package io.imlma.bench.ett;

import io.imlma.ml.horizon.HorizonSpec;
import io.imlma.ml.horizon.Series;
import io.imlma.ml.horizon.Windows;
import java.util.ArrayList;
import java.util.List;

/**
 * The standard ETTm1 benchmark split (Zhou et al. 2021, as in the published code of Informer, DLinear/NLinear and
 * PatchTST, {@code Dataset_ETT_minute}): 12 / 4 / 4 months of 30 days of 15-minute rows, train rows
 * {@code [0, 34560)}, validation {@code [34560 − L, 46080)}, test {@code [46080 − L, 57600)}; the rows after 57600
 * are not used. Each channel is z-scored with the mean and the population standard deviation (sklearn's
 * {@code StandardScaler}) of its training rows. A window's targets lie wholly in its part; its inputs may reach
 * L rows back into the part before. Every test window counts (the published loaders drop the last partial test
 * batch, {@code drop_last=True}; this does not).
 */
public final class EttProtocol {
    public static final int MONTH = 30 * 24 * 4;
    public static final int TRAIN_END = 12 * MONTH;
    public static final int VALIDATION_END = 16 * MONTH;
    public static final int TEST_END = 20 * MONTH;
    public static final String TARGET = "OT";

    private EttProtocol() {}

    /**
     * @param channels z-scored with training statistics, each as its own series (channel-independent)
     * @param means    per channel, the training mean
     * @param stds     per channel, the training population standard deviation
     */
    public record Split(List<String> channels, Windows train, Windows validation, Windows test, double[] means,
            double[] stds) {}

    /** The split of {@code channels} (e.g. {@code [OT]} univariate, all seven multivariate) for {@code spec}. */
    public static Split split(EttData data, List<String> channels, HorizonSpec spec) {
        if (data.rows() < TEST_END) {
            throw new IllegalArgumentException("the ETTm1 protocol needs " + TEST_END + " rows, the data has "
                    + data.rows());
        }
        long interval = data.times()[1] - data.times()[0];
        for (int r = 1; r < TEST_END; r++) {
            if (data.times()[r] - data.times()[r - 1] != interval) {
                throw new IllegalArgumentException("rows " + (r - 1) + " and " + r + " are not consecutive intervals");
            }
        }
        List<Series> series = new ArrayList<>();
        double[] means = new double[channels.size()];
        double[] stds = new double[channels.size()];
        for (int c = 0; c < channels.size(); c++) {
            double[] raw = data.channel(channels.get(c));
            means[c] = mean(raw, TRAIN_END);
            stds[c] = populationStd(raw, TRAIN_END, means[c]);
            double[] z = new double[TEST_END];
            for (int r = 0; r < TEST_END; r++) {
                z[r] = (raw[r] - means[c]) / stds[c];
            }
            series.add(Series.measured(channels.get(c), data.times()[0], interval, z));
        }
        long first = data.times()[0];
        long trainEnd = first + TRAIN_END * interval;
        long validationEnd = first + VALIDATION_END * interval;
        long testEnd = first + TEST_END * interval;
        return new Split(channels,
                Windows.between(series, spec, Long.MIN_VALUE, trainEnd),
                Windows.between(series, spec, trainEnd, validationEnd),
                Windows.between(series, spec, validationEnd, testEnd),
                means, stds);
    }

    private static double mean(double[] values, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += values[i];
        }
        return sum / n;
    }

    private static double populationStd(double[] values, int n, double mean) {
        double squares = 0;
        for (int i = 0; i < n; i++) {
            squares += (values[i] - mean) * (values[i] - mean);
        }
        return Math.sqrt(squares / n);
    }
}
