package io.imlma.udf.monitor;

/** State of {@link DriftMonitor} for one meter and feature; a mutable POJO so Flink serializes it field by field. */
public class DriftState {
    /** Sorted sample of the serving champion's training data; null until its reference arrives (no tests). */
    public double[] reference;
    public int referenceVersion;
    public String referenceModel;
    /** When the reference was published (its model update's time), epoch ms. */
    public long referenceCreatedAt;
    public double[] recent;
    public long[] recentStarts;
    public int recentCount;
    /** Window end of the latest value remembered: the event time of a test. */
    public long latestEnd;
    public int recentNext;
    public int sinceTest;
    public HysteresisState condition = HysteresisState.INITIAL;

    public DriftState() {}

    static DriftState start(int window) {
        DriftState s = new DriftState();
        s.recent = new double[window];
        s.recentStarts = new long[window];
        return s;
    }

    void remember(double value, long windowStart, long windowEnd) {
        latestEnd = windowEnd;
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
