package io.imlma.udf.monitor;

/** Per-meter state of {@link StabilityMonitor}; a mutable POJO so Flink serializes it field by field. */
public class StabilityState {
    /** Model version the baseline belongs to. */
    public int modelVersion;
    /** The last forecast's steps, null before the first. */
    public double[] lastForecast;
    /** The last forecast's issue time, epoch ms. */
    public long lastIssueTime;
    /** Ring of the most recent forecasts' first steps. */
    public double[] recent;
    public int recentCount;
    public int recentNext;
    public int sinceVarianceCheck;
    /** Variance of the first full window of this model version; NaN until known. */
    public double baselineVariance = Double.NaN;
    public double baselineStepSumSq;
    public int baselineSteps;
    /** δ derived from the baseline's step sizes, when no δ is configured; NaN until known. */
    public double derivedDelta = Double.NaN;
    public HysteresisState delta = HysteresisState.INITIAL;
    public HysteresisState variance = HysteresisState.INITIAL;

    public StabilityState() {}

    static StabilityState start(int modelVersion, int window, StabilityState previous) {
        StabilityState s = new StabilityState();
        s.modelVersion = modelVersion;
        s.recent = new double[window];
        if (previous != null) {
            s.delta = previous.delta;
            s.variance = previous.variance;
        }
        return s;
    }

    void remember(double forecast) {
        recent[recentNext] = forecast;
        recentNext = (recentNext + 1) % recent.length;
        recentCount = Math.min(recentCount + 1, recent.length);
    }
}
