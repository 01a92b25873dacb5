package io.imlma.jobs.launch;

import java.util.Map;

/**
 * What became of one retrain request's launch.
 *
 * @param requestId  the request's id (launches are idempotent on it)
 * @param mode       launcher mode that ran it: {@code local}, {@code flink-rest} or {@code kubernetes}
 * @param jobId      Flink job id, or for Kubernetes the custom resource's name; null when nothing was started
 * @param status     where it ended (or stands, for {@link Status#RUNNING} and {@link Status#SUBMITTED})
 * @param startedAt  epoch ms when the launch began
 * @param finishedAt epoch ms when the outcome was known; 0 while running
 * @param message    what happened, in words: the failure cause, the resource file, ...
 * @param results    the job's accumulators (e.g. {@code rows}), as strings; empty when unknown
 */
public record LaunchOutcome(String requestId, String mode, String jobId, Status status, long startedAt,
        long finishedAt, String message, Map<String, String> results) {

    public LaunchOutcome {
        results = results == null ? Map.of() : Map.copyOf(results);
    }

    public enum Status {
        /** Launched and not finished yet (the ledger's record while a job runs). */
        RUNNING,
        /** Handed to external tooling (a Kubernetes resource written); its end is not observed here. */
        SUBMITTED,
        SUCCEEDED,
        FAILED,
        CANCELED,
        /** The launcher stopped waiting; the job may still be running. */
        TIMED_OUT;

        public boolean terminal() {
            return this != RUNNING;
        }
    }
}
