package io.imlma.jobs.launch;

import java.util.Optional;

/**
 * Record of launched retrain requests, which makes launching idempotent by request id: in memory for one process
 * ({@link InMemoryLaunchLedger}) or in the registry's database ({@link JdbcLaunchLedger}), where a request replayed
 * after a restart of the launching job is recognised too.
 */
public interface LaunchLedger extends AutoCloseable {
    /**
     * Atomically records {@code running} (status {@link LaunchOutcome.Status#RUNNING}) unless the request id is known;
     * returns the existing record if it is, in which case the caller must not start anything.
     */
    Optional<LaunchOutcome> claim(LaunchOutcome running);

    /**
     * Atomically replaces {@code interrupted}, a {@link LaunchOutcome.Status#RUNNING} record left by a launcher that
     * stopped before recording the outcome, with {@code running}, if the record is still exactly that one. True if
     * this caller took the launch over and must run it; false if someone else changed the record first.
     */
    boolean takeOver(LaunchOutcome interrupted, LaunchOutcome running);

    /** Replaces the record of {@code outcome.requestId()} with the outcome. */
    void record(LaunchOutcome outcome);

    Optional<LaunchOutcome> find(String requestId);

    /** Releases connections; the records stay. */
    @Override
    default void close() throws Exception {}
}
