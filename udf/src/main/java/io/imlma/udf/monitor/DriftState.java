package io.imlma.udf.monitor;

/** State of {@link DriftMonitor} for one meter and feature; a mutable POJO so Flink serializes it field by field. */
public class DriftState {
    /** Sorted reference sample; null while the first values of the stream are still being collected. */
    public double[] reference;
    /** Model version of the reference; 0 when it is the stream's own first values. */
    public int referenceVersion;
    public String referenceModel;
    /** First values of the stream, collected as the reference until a published one arrives. */
    public double[] collecting;
    public int collected;
    public double[] recent;
    public long[] recentStarts;
    public int recentCount;
    public int recentNext;
    public int sinceTest;
    public HysteresisState condition = HysteresisState.INITIAL;

    public DriftState() {}

    static DriftState start(int window, int referenceSize) {
        DriftState s = new DriftState();
        s.collecting = new double[referenceSize];
        s.recent = new double[window];
        s.recentStarts = new long[window];
        return s;
    }

    void remember(double value, long windowStart) {
        recent[recentNext] = value;
        recentStarts[recentNext] = windowStart;
        recentNext = (recentNext + 1) % recent.length;
        recentCount = Math.min(recentCount + 1, recent.length);
    }

    /** Window start of the oldest value in the recent window (valid once the window is full). */
    long oldestStart() {
        return recentStarts[recentNext];
    }
}
