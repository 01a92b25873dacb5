package io.imlma.jobs.kafka;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.runtime.rest.messages.EmptyRequestBody;
import org.apache.flink.runtime.rest.messages.JobMessageParameters;
import org.apache.flink.runtime.rest.messages.checkpoints.CheckpointingStatistics;
import org.apache.flink.runtime.rest.messages.checkpoints.CheckpointingStatisticsHeaders;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * An unbounded job submitted to a MiniCluster for a test: its checkpoint progress as the cluster's REST API reports
 * it, and a cancellation that waits until the job has really stopped.
 */
public final class RunningJob implements AutoCloseable {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private final JobClient job;
    private final RestClusterClient<?> rest;

    private RunningJob(JobClient job, RestClusterClient<?> rest) {
        this.job = job;
        this.rest = rest;
    }

    /** Submits the environment's pipeline and returns at once; the job keeps running until {@link #close()}. */
    public static RunningJob submit(StreamExecutionEnvironment env, String name, RestClusterClient<?> rest)
            throws Exception {
        return new RunningJob(env.executeAsync(name), rest);
    }

    public JobID id() {
        return job.getJobID();
    }

    /** Checkpoints completed since submission, restarts included. */
    public long completedCheckpoints() throws Exception {
        JobMessageParameters parameters = CheckpointingStatisticsHeaders.getInstance()
                .getUnresolvedMessageParameters();
        parameters.jobPathParameter.resolve(job.getJobID());
        CheckpointingStatistics statistics = rest
                .sendRequest(CheckpointingStatisticsHeaders.getInstance(), parameters, EmptyRequestBody.getInstance())
                .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return statistics.getCounts().getNumberCompletedCheckpoints();
    }

    /**
     * Waits until {@code more} further checkpoints have completed. After two, every Kafka transaction the job had
     * open when this was called has been committed (or the job has failed meanwhile, which the caller's assertions
     * on the output then show).
     */
    public void awaitFurtherCheckpoints(int more, Duration timeout) throws Exception {
        // while the JobManager initializes, the REST call fails (UnavailableDispatcherOperationException): ask again
        long target = await("checkpoint statistics of job " + id()).atMost(timeout).pollInterval(POLL_INTERVAL)
                .ignoreExceptionsInstanceOf(ExecutionException.class)
                .until(this::completedCheckpoints, completed -> true) + more;
        await(target + " completed checkpoints of job " + id()).atMost(timeout).pollInterval(POLL_INTERVAL)
                .until(() -> {
                    long completed = completedCheckpoints();
                    if (completed < target && status().isGloballyTerminalState()) {
                        throw new AssertionError("job " + id() + " ended as " + status()
                                + " while waiting for checkpoints");
                    }
                    return completed;
                }, completed -> completed >= target);
    }

    /** Cancels the job and waits until the cluster reports it CANCELED. */
    @Override
    public void close() throws Exception {
        if (!status().isGloballyTerminalState()) {
            job.cancel().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        await("job " + id() + " stopped after cancel").atMost(CALL_TIMEOUT).pollInterval(POLL_INTERVAL)
                .until(this::status, JobStatus::isGloballyTerminalState);
    }

    /** Status of the job right now. */
    public JobStatus status() throws Exception {
        return job.getJobStatus().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
