package io.imlma.jobs.retrain;

import io.imlma.common.config.Settings;
import io.imlma.common.integrity.SnapshotManifest;
import io.imlma.ml.tune.TrialPoint;
import io.imlma.ml.tune.TrialRecord;
import io.imlma.ml.tune.Tuner;
import io.imlma.ml.tune.TuningBudget;
import io.imlma.ml.tune.TuningDriver;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.collect.CollectSinkOperatorFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hyperparameter tuning with trials as parallel Flink tasks: each round the tuner proposes up to
 * {@code roundSize} points, one batch job trains them in parallel (one task per point, at most the environment's
 * parallelism), the results are collected and the tuner observes them before the next round. Stops at the trial
 * budget, when the tuner has nothing left, or when the best loss has not improved for {@code patience} trials
 * ({@link TuningDriver.Stall}, the same rule as the in-process driver).
 */
public final class FlinkTuning {
    private static final Logger LOG = LoggerFactory.getLogger(FlinkTuning.class);
    /**
     * Largest batch a round's results come back in. A trial's result carries its model, and one record must fit in
     * a batch: Flink's 2 MB default refused the day-ahead MLP of width 256 (2.7 MB of JSON); the search space's
     * largest network (3 layers of 512) is about 15 MB.
     */
    static final MemorySize RESULT_BATCH = MemorySize.ofMebiBytes(64);

    /**
     * @param trials       every trial in trial order
     * @param best         the trial with the lowest finite loss, with its model
     * @param stoppedEarly stopped because the loss stalled, before the budget was used
     */
    public record Outcome(List<TrialRecord> trials, TrialResult best, boolean stoppedEarly) {}

    private FlinkTuning() {}

    /** @param onTrial called for every finished trial, in trial order (e.g. to record it in the registry) */
    public static Outcome run(StreamExecutionEnvironment env, Tuner tuner, TuningBudget budget, Settings settings,
            List<SnapshotManifest> manifests, String jobName, Consumer<TrialRecord> onTrial) throws Exception {
        env.configure(new Configuration().set(CollectSinkOperatorFactory.MAX_BATCH_SIZE, RESULT_BATCH));
        TrainTrial trainTrial = new TrainTrial(settings, manifests);
        TuningDriver.Stall stall = new TuningDriver.Stall(budget.patience());
        List<TrialRecord> trials = new ArrayList<>();
        TrialResult best = null;
        int round = 0;
        while (trials.size() < budget.maxTrials() && !stall.stalled()) {
            // a cancelled launcher (a stopping demo, a cancelled streaming job) must not start another round's cluster
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException(jobName + " interrupted after " + trials.size() + " trials");
            }
            List<TrialPoint> points = tuner.propose(Math.min(budget.roundSize(), budget.maxTrials() - trials.size()));
            if (points.isEmpty()) {
                break;
            }
            List<TrialTask> tasks = new ArrayList<>(points.size());
            for (TrialPoint point : points) {
                tasks.add(TrialTask.of(trials.size() + tasks.size() + 1, round, point.parameters(),
                        budget.trialSeed()));
            }
            List<TrialResult> results = runRound(env, tasks, trainTrial, jobName + " round " + round);
            for (int i = 0; i < points.size(); i++) {
                TrialResult result = results.get(i);
                tuner.observe(points.get(i), result.loss());
                stall.record(Double.isFinite(result.loss()) ? result.loss() : Double.POSITIVE_INFINITY);
                TrialTask task = result.task();
                TrialRecord record = new TrialRecord(tuner.name(), task.trialNo(), round, task.parameters(),
                        result.loss(), result.validationMse(), result.validationMae(), result.durationMs(),
                        task.seed());
                trials.add(record);
                onTrial.accept(record);
                if (Double.isFinite(result.loss()) && (best == null || result.loss() < best.loss())) {
                    best = result;
                }
            }
            LOG.info("{}: round {} done, {} trials, best {} loss {}", jobName, round, trials.size(),
                    tuner.name(), best == null ? "none" : best.loss());
            round++;
        }
        if (best == null) {
            throw new IllegalStateException("no trial of " + jobName + " trained a usable model (every validation"
                    + " loss was NaN or infinite); check the tuning ranges and the data");
        }
        return new Outcome(trials, best, stall.stalled() && trials.size() < budget.maxTrials());
    }

    /** One batch job: the round's points in, one trained trial per point out, returned in trial order. */
    private static List<TrialResult> runRound(StreamExecutionEnvironment env, List<TrialTask> tasks,
            TrainTrial trainTrial, String jobName) throws Exception {
        int available = env.getParallelism() > 0 ? env.getParallelism() : tasks.size();
        DataStream<TrialResult> results = env.fromData(tasks).name("trial points").uid("trial-points")
                .map(trainTrial).name("train trial").uid("train-trial")
                .setParallelism(Math.min(tasks.size(), available));
        List<TrialResult> collected = new ArrayList<>(results.executeAndCollect(jobName, tasks.size()));
        if (collected.size() != tasks.size()) {
            throw new IllegalStateException(jobName + " returned " + collected.size() + " results for "
                    + tasks.size() + " trials");
        }
        collected.sort(Comparator.comparingInt(r -> r.task().trialNo()));
        return collected;
    }
}
