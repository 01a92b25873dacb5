package io.imlma.jobs;

import io.imlma.common.config.Settings;
import io.imlma.common.json.Json;
import io.imlma.jobs.launch.BatchJobEntry;
import io.imlma.jobs.launch.BatchJobResult;
import io.imlma.jobs.retrain.RetrainConfig;
import io.imlma.jobs.retrain.RetrainResult;
import io.imlma.jobs.retrain.Retraining;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch retraining job for one retrain request: verify the snapshot range, tune with Bayesian optimization
 * (trials as parallel Flink tasks), evaluate the candidate against the champion, register the version, promote it
 * when the replacement policy says so and publish the model update. The work is done by {@link Retraining}; this
 * class is the entry point a launcher starts (in-process through {@link BatchJobEntry}, or {@code main} on a
 * cluster).
 */
public final class RetrainJob implements BatchJobEntry {
    private static final Logger LOG = LoggerFactory.getLogger(RetrainJob.class);

    /** Checks its command line against {@link JobSettings#retrainJob}; a launcher's in-process {@link #run} gets checked settings. */
    public static void main(String[] args) throws Exception {
        Settings settings = JobSettings.retrainJob().start(args).orElse(null);
        if (settings == null) {
            return; // --help
        }
        RetrainConfig.from(settings); // fails at start, naming the setting
        RetrainResult result = Retraining.run(StreamExecutionEnvironment.getExecutionEnvironment(), settings);
        LOG.info("Retrain result: {}", Json.write(result));
    }

    @Override
    public BatchJobResult run(StreamExecutionEnvironment env, Settings settings) throws Exception {
        RetrainResult result = Retraining.run(env, settings);
        return new BatchJobResult("retrain-" + result.requestId(), result.summary());
    }
}
