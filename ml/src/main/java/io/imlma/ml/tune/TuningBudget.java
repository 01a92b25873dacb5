package io.imlma.ml.tune;

/**
 * @param maxTrials  evaluations at most
 * @param roundSize  points proposed per round (evaluated in parallel when the caller can)
 * @param patience   stop when the best loss has not improved for this many evaluations; 0 = never stop early
 * @param trialSeed  training seed given to every trial, so trials differ only in their hyperparameters
 */
public record TuningBudget(int maxTrials, int roundSize, int patience, long trialSeed) {
    public TuningBudget {
        if (maxTrials < 1 || roundSize < 1 || patience < 0) {
            throw new IllegalArgumentException("bad tuning budget: " + maxTrials + " trials, rounds of " + roundSize
                    + ", patience " + patience);
        }
    }
}
