package io.imlma.udf.monitor;

/**
 * Where one alarm condition stands, kept in Flink state between evaluations.
 *
 * @param active       an alarm episode is open
 * @param breaches     consecutive evaluations above the threshold
 * @param calm         consecutive evaluations below the clearing level
 * @param episodeStart event time at which the open episode was raised (names its alarm id)
 * @param lastNotified event time of the latest notification of the open episode
 */
public record HysteresisState(boolean active, int breaches, int calm, long episodeStart, long lastNotified) {
    public static final HysteresisState INITIAL = new HysteresisState(false, 0, 0, 0L, 0L);
}
