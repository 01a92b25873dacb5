package io.imlma.common.features;

/**
 * Welford's running count, mean and sum of squared deviations of a meter's observed interval means, and the z-score
 * against them: the one standardization of the streaming job and of the experiments.
 *
 * <p>The standard deviation is the population one (divide by n), on purpose: row k is scored against the k intervals
 * seen so far, itself included, as a description of what the meter has shown up to now — an online statistic with
 * no sample to correct for and no end of the stream at which an unbiased estimate would be due. It is defined from
 * the first interval on (z = 0 there) where the sample deviation is not, and once z-scores are trusted (after the
 * warm-up, 96 intervals by default) the two differ by the factor sqrt(n / (n - 1)) < 0.6 %.
 *
 * <p>Hand-written rather than Hipparchus' StreamingStatistics because this is per-meter state: exactly these three
 * numbers are checkpointed (by the job's serializer), for every meter. Tests check it against Hipparchus.
 */
public final class RunningStatistics {
    private long count;
    private double mean;
    private double m2;

    public RunningStatistics() {}

    /** Restores statistics written out earlier (e.g. by a state serializer). */
    public RunningStatistics(long count, double mean, double m2) {
        this.count = count;
        this.mean = mean;
        this.m2 = m2;
    }

    public void add(double x) {
        count++;
        double delta = x - mean;
        mean += delta / count;
        m2 += delta * (x - mean);
    }

    /** (x - mean) / population standard deviation; 0 while the deviation is 0. */
    public double zScore(double x) {
        double std = count == 0 ? 0 : Math.sqrt(m2 / count);
        return std > 0 ? (x - mean) / std : 0;
    }

    public long count() {
        return count;
    }

    public double mean() {
        return mean;
    }

    /** Sum of squared deviations from the mean. */
    public double m2() {
        return m2;
    }
}
