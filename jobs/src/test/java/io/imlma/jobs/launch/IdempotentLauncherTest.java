package io.imlma.jobs.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.imlma.common.types.RetrainReason;
import io.imlma.common.types.RetrainRequest;
import io.imlma.jobs.launch.LaunchOutcome.Status;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The launcher's own logic around a runner: idempotency, the ledger's records, failures as outcomes. */
class IdempotentLauncherTest {
    /** Runs nothing real: counts runs and holds each one until released, so overlapping launches can be made. */
    private static final class GatedRunner implements JobRunner {
        final AtomicInteger runs = new AtomicInteger();
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public String mode() {
            return "gated";
        }

        @Override
        public LaunchOutcome run(RetrainJobSpec spec, long startedAt) throws Exception {
            int run = runs.incrementAndGet();
            started.countDown();
            assertThat(release.await(1, TimeUnit.MINUTES)).isTrue();
            if (spec.programArgs().contains("--model=broken")) {
                throw new IllegalStateException("job failed", new IOException("disk gone"));
            }
            return new LaunchOutcome(spec.requestId(), mode(), "job-" + run, Status.SUCCEEDED, startedAt,
                    System.currentTimeMillis(), "ok", Map.of("run", Integer.toString(run)));
        }
    }

    private static RetrainRequest request(String id, String model) {
        return new RetrainRequest(id, model, RetrainReason.MANUAL, 0, 86_400_000, 0, 96, 86_400_000);
    }

    private static IdempotentLauncher launcher(JobRunner runner, LaunchLedger ledger) {
        return new IdempotentLauncher(runner, ledger,
                r -> RetrainJobSpec.of(r, LauncherConfig.DEFAULT_ENTRY, Map.of(), 1), Clock.systemUTC());
    }

    @Test
    void runsEachRequestIdOnce() throws Exception {
        GatedRunner runner = new GatedRunner();
        InMemoryLaunchLedger ledger = new InMemoryLaunchLedger();
        try (IdempotentLauncher launcher = launcher(runner, ledger)) {
            CompletableFuture<LaunchOutcome> first = launcher.launch(request("r1", "m"));
            CompletableFuture<LaunchOutcome> again = launcher.launch(request("r1", "m"));
            assertThat(again).isSameAs(first);
            assertThat(ledger.find("r1")).get().extracting(LaunchOutcome::status).isEqualTo(Status.RUNNING);
            assertThat(first).isNotDone();

            runner.release.countDown();
            LaunchOutcome outcome = first.get(1, TimeUnit.MINUTES);
            assertThat(outcome.status()).isEqualTo(Status.SUCCEEDED);
            assertThat(ledger.find("r1")).contains(outcome);
            assertThat(launcher.launch(request("r1", "m")).get(1, TimeUnit.MINUTES)).isEqualTo(outcome);

            LaunchOutcome other = launcher.launch(request("r2", "m")).get(1, TimeUnit.MINUTES);
            assertThat(other.jobId()).isEqualTo("job-2");
        }
        assertThat(runner.runs).hasValue(2);
    }

    @Test
    void aLedgerThatKnowsTheRequestPreventsTheRun() throws Exception {
        GatedRunner runner = new GatedRunner();
        runner.release.countDown();
        InMemoryLaunchLedger ledger = new InMemoryLaunchLedger();
        LaunchOutcome earlier = new LaunchOutcome("r1", "gated", "job-from-before-restart", Status.SUCCEEDED, 1, 2,
                "ok", Map.of());
        ledger.record(earlier);
        try (IdempotentLauncher launcher = launcher(runner, ledger)) {
            assertThat(launcher.launch(request("r1", "m")).get(1, TimeUnit.MINUTES)).isEqualTo(earlier);
        }
        assertThat(runner.runs).hasValue(0);
    }

    @Test
    void aLaunchLeftRunningByAStoppedLauncherRunsAgainOnce() throws Exception {
        GatedRunner runner = new GatedRunner();
        InMemoryLaunchLedger ledger = new InMemoryLaunchLedger();
        ledger.claim(new LaunchOutcome("r1", "gated", null, Status.RUNNING, 1, 0, "launching", Map.of()));
        try (IdempotentLauncher launcher = launcher(runner, ledger)) {
            CompletableFuture<LaunchOutcome> rerun = launcher.launch(request("r1", "m"));
            assertThat(launcher.launch(request("r1", "m"))).as("taken over once, then held").isSameAs(rerun);
            runner.release.countDown();
            assertThat(rerun.get(1, TimeUnit.MINUTES).status()).isEqualTo(Status.SUCCEEDED);
            assertThat(ledger.find("r1")).contains(rerun.get());
        }
        assertThat(runner.runs).hasValue(1);
    }

    @Test
    void aFailingJobIsAFailedOutcomeWithItsCauses() throws Exception {
        GatedRunner runner = new GatedRunner();
        runner.release.countDown();
        InMemoryLaunchLedger ledger = new InMemoryLaunchLedger();
        try (IdempotentLauncher launcher = launcher(runner, ledger)) {
            LaunchOutcome outcome = launcher.launch(request("r1", "broken")).get(1, TimeUnit.MINUTES);
            assertThat(outcome.status()).isEqualTo(Status.FAILED);
            assertThat(outcome.message()).contains("IllegalStateException: job failed", "IOException: disk gone");
            assertThat(ledger.find("r1")).contains(outcome);
        }
    }

    @Test
    void aClosedLauncherStartsNothingAndLeavesTheRequestToItsSuccessor() throws Exception {
        GatedRunner runner = new GatedRunner();
        InMemoryLaunchLedger ledger = new InMemoryLaunchLedger();
        IdempotentLauncher launcher = launcher(runner, ledger);
        launcher.close();
        LaunchOutcome outcome = launcher.launch(request("r1", "m")).get(1, TimeUnit.MINUTES);
        assertThat(outcome.status()).isEqualTo(Status.FAILED);
        assertThat(outcome.message()).contains("closed");
        assertThat(runner.runs).hasValue(0);
        assertThat(List.of(outcome.requestId())).containsExactly("r1");
        assertThat(ledger.find("r1")).get().extracting(LaunchOutcome::status).isEqualTo(Status.RUNNING);
    }

    @Test
    void aLaunchCancelledWithItsTaskIsRunAgainByTheNextLauncher() throws Exception {
        GatedRunner runner = new GatedRunner();
        InMemoryLaunchLedger ledger = new InMemoryLaunchLedger();
        IdempotentLauncher cancelled = launcher(runner, ledger);
        CompletableFuture<LaunchOutcome> interrupted = cancelled.launch(request("r1", "m"));
        assertThat(runner.started.await(1, TimeUnit.MINUTES)).isTrue();
        cancelled.close(); // the task is cancelled while the job runs: the runner is interrupted
        assertThat(interrupted.get(1, TimeUnit.MINUTES).status()).isEqualTo(Status.FAILED);
        assertThat(ledger.find("r1")).get().extracting(LaunchOutcome::status).isEqualTo(Status.RUNNING);

        runner.release.countDown();
        try (IdempotentLauncher next = launcher(runner, ledger)) {
            assertThat(next.launch(request("r1", "m")).get(1, TimeUnit.MINUTES).status())
                    .isEqualTo(Status.SUCCEEDED);
        }
        assertThat(runner.runs).hasValue(2);
        assertThat(ledger.find("r1")).get().extracting(LaunchOutcome::status).isEqualTo(Status.SUCCEEDED);
    }
}
