package io.imlma.jobs.retrain;

import java.util.Map;

/**
 * One hyperparameter point to train and validate, as a Flink record.
 *
 * @param trialNo    1-based order of the trial within its training run
 * @param round      0-based tuning round that proposed it
 * @param parameters hyperparameter values by name
 * @param seed       training seed (the same for every trial of a run, so trials differ only in parameters)
 */
public record TrialTask(int trialNo, int round, Map<String, Double> parameters, long seed) {}
