package io.imlma.jobs.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.imlma.common.config.Settings;
import io.imlma.common.types.RetrainReason;
import io.imlma.common.types.RetrainRequest;
import io.imlma.jobs.launch.LaunchOutcome.Status;
import io.imlma.registry.jdbc.RegistryDataSource;
import io.imlma.testkit.MariaDbDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry-backed ledger on H2 and on the real MariaDB: claims are exclusive and survive a reopen, and a launch
 * left running by a launcher that died is taken over by exactly one successor.
 */
class JdbcLaunchLedgerTest {

    @TempDir
    Path dir;

    @Test
    void h2() throws Exception {
        claimsAreExclusiveAndOutliveTheProcess(
                Map.of(RegistryDataSource.JDBC_URL.key(), RegistryDataSource.h2File(dir.resolve("registry"))));
    }

    @Test
    void mariaDb() throws Exception {
        try (MariaDbDatabase db = MariaDbDatabase.create()) {
            claimsAreExclusiveAndOutliveTheProcess(Map.of("registry.jdbc-url", db.jdbcUrl(),
                    "registry.user", db.user(), "registry.password", db.password()));
        }
    }

    private void claimsAreExclusiveAndOutliveTheProcess(Map<String, String> registry) throws Exception {
        LaunchOutcome running = new LaunchOutcome("req-1", "local", null, Status.RUNNING, 1_000, 0, null, Map.of());
        LaunchOutcome done = new LaunchOutcome("req-1", "local", "job-7", Status.SUCCEEDED, 1_000, 5_000,
                "finished", Map.of("version", "3", "promoted", "true"));
        try (JdbcLaunchLedger ledger = JdbcLaunchLedger.open(new Settings(registry))) {
            assertThat(ledger.find("req-1")).isEmpty();
            assertThat(ledger.claim(running)).isEmpty();
            assertThat(ledger.claim(running)).contains(running);
            ledger.record(done);
            assertThat(ledger.find("req-1")).contains(done);

            LaunchOutcome taken = new LaunchOutcome("req-0", "local", null, Status.RUNNING, 4_000, 0, null, Map.of());
            LaunchOutcome left = new LaunchOutcome("req-0", "local", null, Status.RUNNING, 2_000, 0, null, Map.of());
            ledger.claim(left);
            assertThat(ledger.takeOver(left, taken)).isTrue();
            assertThat(ledger.takeOver(left, taken)).as("the record is no longer the interrupted one").isFalse();
            assertThat(ledger.takeOver(done, taken)).as("a finished launch is not taken over").isFalse();
            assertThat(ledger.find("req-0")).contains(taken);
            // the launcher that took req-3 over is killed in turn before recording anything
            ledger.claim(new LaunchOutcome("req-3", "local", null, Status.RUNNING, 3_000, 0, "launching", Map.of()));
            assertThat(ledger.launches()).extracting(LaunchOutcome::requestId, LaunchOutcome::status)
                    .as("every launch, oldest first")
                    .containsExactly(tuple("req-1", Status.SUCCEEDED), tuple("req-3", Status.RUNNING),
                            tuple("req-0", Status.RUNNING));
        }
        // a restarted launcher sees the finished launch and starts nothing
        List<RetrainJobSpec> started = new CopyOnWriteArrayList<>();
        JobRunner runner = new JobRunner() {
            @Override
            public String mode() {
                return "local";
            }

            @Override
            public LaunchOutcome run(RetrainJobSpec spec, long startedAt) {
                started.add(spec);
                return new LaunchOutcome(spec.requestId(), "local", "job-new", Status.SUCCEEDED, startedAt, startedAt,
                        "ran", Map.of());
            }
        };
        RetrainRequest again = new RetrainRequest("req-1", "load-forecast", RetrainReason.VOLUME, 0, 1, 10, 2, 1);
        RetrainRequest fresh = new RetrainRequest("req-2", "load-forecast", RetrainReason.VOLUME, 1, 2, 12, 2, 2);
        RetrainRequest interrupted = new RetrainRequest("req-3", "load-forecast", RetrainReason.VOLUME, 2, 3, 14, 2, 3);
        try (IdempotentLauncher launcher = new IdempotentLauncher(runner,
                JdbcLaunchLedger.open(new Settings(registry)),
                r -> RetrainJobSpec.of(r, LauncherConfig.DEFAULT_ENTRY, Map.of(), 1), Clock.systemUTC())) {
            assertThat(launcher.launch(again).get(1, TimeUnit.MINUTES)).isEqualTo(done);
            assertThat(launcher.launch(fresh).get(1, TimeUnit.MINUTES).jobId()).isEqualTo("job-new");
            LaunchOutcome rerun = launcher.launch(interrupted).get(1, TimeUnit.MINUTES);
            assertThat(rerun.status()).isEqualTo(Status.SUCCEEDED);
            assertThat(launcher.launch(interrupted).get(1, TimeUnit.MINUTES)).isEqualTo(rerun);
        }
        assertThat(started).extracting(RetrainJobSpec::requestId).containsExactly("req-2", "req-3");
        try (JdbcLaunchLedger ledger = JdbcLaunchLedger.open(new Settings(registry))) {
            assertThat(ledger.find("req-3")).get().extracting(LaunchOutcome::status).isEqualTo(Status.SUCCEEDED);
        }
    }
}
