package io.imlma.jobs.launch;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;

/**
 * What a {@link BatchJobEntry} reports: the Flink job it ran (the last one, for jobs that run several) and small
 * named results (row counts, a model version) that end up in the {@link LaunchOutcome}.
 */
public record BatchJobResult(String jobId, Map<String, String> results) {

    public BatchJobResult {
        results = Map.copyOf(results);
    }

    /**
     * The job's accumulators as results; none for a detached submission (e.g. over REST), where the launcher reads
     * them from the cluster instead.
     */
    public static BatchJobResult of(JobExecutionResult execution) {
        Map<String, String> results = new LinkedHashMap<>();
        if (execution.isJobExecutionResult()) {
            execution.getAllAccumulatorResults().forEach((name, value) -> results.put(name, String.valueOf(value)));
        }
        return new BatchJobResult(execution.getJobID().toString(), results);
    }
}
