package io.imlma.jobs.launch;

/**
 * One way of running a {@link RetrainJobSpec} (in-process; driven from this process on a session cluster; on a
 * session cluster over REST; as a Kubernetes resource). Blocking and not idempotent: {@link IdempotentLauncher} calls it on its own thread, once per request.
 */
public interface JobRunner {
    /** Mode name as in the {@code launcher.mode} setting. */
    String mode();

    /**
     * Runs the job to its end (or hands it over) and describes the result. Throwing means the job failed; the
     * launcher turns the exception into a {@link LaunchOutcome.Status#FAILED} outcome.
     */
    LaunchOutcome run(RetrainJobSpec spec, long startedAt) throws Exception;
}
