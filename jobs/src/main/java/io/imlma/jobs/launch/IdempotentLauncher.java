package io.imlma.jobs.launch;

import io.imlma.common.types.RetrainRequest;
import io.imlma.jobs.launch.LaunchOutcome.Status;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RetrainLauncher}: claims the request id in a {@link LaunchLedger}, runs the job with a
 * {@link JobRunner} on its own thread (one job at a time) and records the outcome. A repeated request id gets the
 * running launch's future, or the ledger's record once it is over, and starts nothing. The exception is a launch
 * the ledger shows running that this instance does not hold: an earlier instance stopped (its TaskManager was
 * killed, say) before recording the outcome, so this one takes the record over and runs the job again.
 */
public final class IdempotentLauncher implements RetrainLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(IdempotentLauncher.class);
    private static final int MAX_MESSAGE = 4_000;
    private static final long CLOSE_WAIT_SECONDS = 30;

    private final JobRunner runner;
    private final LaunchLedger ledger;
    private final Function<RetrainRequest, RetrainJobSpec> specs;
    private final ExecutorService executor;
    private final Clock clock;
    private final Map<String, CompletableFuture<LaunchOutcome>> running = new HashMap<>();
    private volatile boolean closing;

    public IdempotentLauncher(JobRunner runner, LaunchLedger ledger, Function<RetrainRequest, RetrainJobSpec> specs,
            Clock clock) {
        this.runner = runner;
        this.ledger = ledger;
        this.specs = specs;
        this.clock = clock;
        this.executor = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "retrain-launcher-" + runner.mode());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public synchronized CompletableFuture<LaunchOutcome> launch(RetrainRequest request) {
        String id = request.requestId();
        CompletableFuture<LaunchOutcome> inFlight = running.get(id);
        if (inFlight != null) {
            LOG.info("Retrain request {} is being launched already; not starting it again", id);
            return inFlight;
        }
        long startedAt = clock.millis();
        LaunchOutcome claim = new LaunchOutcome(id, runner.mode(), null, Status.RUNNING, startedAt, 0, "launching",
                Map.of());
        Optional<LaunchOutcome> known = ledger.claim(claim);
        if (known.isPresent()) {
            LaunchOutcome earlier = known.get();
            if (earlier.status() != Status.RUNNING || !ledger.takeOver(earlier, claim)) {
                LOG.info("Retrain request {} was launched before ({}); not starting it again", id, earlier.status());
                return CompletableFuture.completedFuture(ledger.find(id).orElse(earlier));
            }
            // this launcher is its loop's only one (parallelism 1), so a running launch it does not hold was left
            // by an instance whose task or process ended: the job's own idempotency by request id makes a rerun safe
            LOG.warn("Retrain request {} was left running by a launcher that stopped (claimed at {}); launching it "
                    + "again", id, earlier.startedAt());
        }
        CompletableFuture<LaunchOutcome> outcome = new CompletableFuture<>();
        running.put(id, outcome);
        try {
            executor.execute(() -> finish(outcome, runAndRecord(request, startedAt)));
        } catch (RejectedExecutionException e) {
            // the claim stays RUNNING: the launcher that replaces this one takes it over
            finish(outcome, failed(request.requestId(), startedAt, "launcher is closed"));
        }
        return outcome;
    }

    private LaunchOutcome runAndRecord(RetrainRequest request, long startedAt) {
        LOG.info("Launching retraining for request {} ({} mode)", request.requestId(), runner.mode());
        LaunchOutcome outcome;
        try {
            outcome = runner.run(specs.apply(request), startedAt);
        } catch (Throwable t) {
            if (closing) {
                // cancelled with its task, not failed: the record stays RUNNING for the next launcher to take over
                LOG.warn("Retraining for request {} stopped: the launcher is closing", request.requestId());
                return failed(request.requestId(), startedAt, "stopped: the launcher was closed while it ran");
            }
            LOG.error("Retraining for request {} failed", request.requestId(), t);
            outcome = failed(request.requestId(), startedAt, describe(t));
        }
        LOG.info("Retraining for request {}: {} ({})", request.requestId(), outcome.status(), outcome.message());
        return record(outcome);
    }

    private LaunchOutcome record(LaunchOutcome outcome) {
        ledger.record(outcome);
        return outcome;
    }

    private void finish(CompletableFuture<LaunchOutcome> future, LaunchOutcome outcome) {
        synchronized (this) {
            running.remove(outcome.requestId());
        }
        future.complete(outcome);
    }

    private LaunchOutcome failed(String requestId, long startedAt, String message) {
        return new LaunchOutcome(requestId, runner.mode(), null, Status.FAILED, startedAt, clock.millis(), message,
                Map.of());
    }

    /** The messages of the cause chain, outermost first: wrapped job failures keep the real cause visible. */
    static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null && text.length() < MAX_MESSAGE; t = t.getCause()) {
            String part = t.getClass().getSimpleName() + ": " + t.getMessage();
            if (text.length() > 0) {
                text.append(" <- caused by ");
            }
            text.append(part);
            if (t.getCause() == t) {
                break;
            }
        }
        return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + " ..." : text.toString();
    }

    /**
     * Stops accepting launches and interrupts the running one (a job on a cluster keeps running there), waiting a
     * little for it to stop so that a closed launcher leaves nothing writing behind; its launch stays RUNNING in the
     * ledger, for the next launcher to take over.
     */
    @Override
    public void close() {
        closing = true;
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("The running launch did not stop within {} s of being interrupted", CLOSE_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // launches that never started end too, unrecorded, like the interrupted one
        Map<String, CompletableFuture<LaunchOutcome>> left;
        synchronized (this) {
            left = Map.copyOf(running);
        }
        left.forEach((id, future) -> future.complete(failed(id, clock.millis(), "launcher is closed")));
        try {
            ledger.close();
        } catch (Exception e) {
            LOG.warn("Closing the launch ledger failed", e);
        }
    }
}
