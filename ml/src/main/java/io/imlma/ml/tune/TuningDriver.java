package io.imlma.ml.tune;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a tuner against an objective in rounds, in this thread; a Flink job does the same with one task per
 * proposed point. Stops at the budget, when the tuner has nothing left, or when the best loss has not improved
 * for {@code patience} evaluations.
 */
public final class TuningDriver {
    private static final Logger LOG = LoggerFactory.getLogger(TuningDriver.class);

    private TuningDriver() {}

    public static TuningResult run(Tuner tuner, Objective objective, TuningBudget budget) {
        List<TrialRecord> trials = new ArrayList<>();
        Stall stall = new Stall(budget.patience());
        int round = 0;
        while (trials.size() < budget.maxTrials() && !stall.stalled()) {
            List<TrialPoint> points = tuner.propose(Math.min(budget.roundSize(), budget.maxTrials() - trials.size()));
            if (points.isEmpty()) {
                break;
            }
            for (TrialPoint point : points) {
                long started = System.nanoTime();
                TrialOutcome outcome = objective.evaluate(point.parameters(), budget.trialSeed());
                long millis = (System.nanoTime() - started) / 1_000_000;
                tuner.observe(point, outcome.loss());
                stall.record(outcome.loss());
                TrialRecord trial = new TrialRecord(tuner.name(), trials.size(), round, point.parameters(),
                        outcome.loss(), outcome.validationMse(), outcome.validationMae(), millis, budget.trialSeed());
                LOG.debug("trial {}", trial);
                trials.add(trial);
            }
            round++;
        }
        return new TuningResult(trials, stall.stalled() && trials.size() < budget.maxTrials());
    }

    /** Counts evaluations since the best loss last improved. */
    public static final class Stall {
        private final int patience;
        private double best = Double.POSITIVE_INFINITY;
        private int sinceBest;

        public Stall(int patience) {
            this.patience = patience;
        }

        public void record(double loss) {
            if (loss < best) {
                best = loss;
                sinceBest = 0;
            } else {
                sinceBest++;
            }
        }

        public boolean stalled() {
            return patience > 0 && sinceBest >= patience;
        }
    }
}
