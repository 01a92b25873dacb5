package io.imlma.jobs.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.imlma.common.config.Settings;
import io.imlma.common.types.RetrainRequest;
import io.imlma.jobs.VerifySnapshotJob;
import io.imlma.jobs.launch.LaunchOutcome.Status;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local launcher end to end on a Flink MiniCluster: a retrain request runs the placeholder batch job, which
 * verifies the snapshot written by the integrity code and reads every row; a damaged snapshot whose backup is
 * damaged too fails with the integrity message; a repeated request id starts no second job; and the async launch
 * function connects a request stream to the launcher.
 */
class LocalLauncherIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @TempDir
    Path dir;

    private RetrainLauncher localLauncher(SnapshotFixture snapshot) {
        return LauncherConfig.from(new Settings(snapshot.settings())).create();
    }

    @Test
    void runsTheRequestAndReadsEveryRow(@InjectClusterClient ClusterClient<?> cluster) throws Exception {
        SnapshotFixture snapshot = SnapshotFixture.write(dir, 3, 2);
        try (RetrainLauncher launcher = localLauncher(snapshot)) {
            LaunchOutcome outcome = launcher.launch(snapshot.request("req-ok")).get(3, TimeUnit.MINUTES);

            assertThat(outcome.status()).as(outcome.message()).isEqualTo(Status.SUCCEEDED);
            assertThat(outcome.mode()).isEqualTo("local");
            assertThat(outcome.results()).containsEntry(VerifySnapshotJob.ROWS, Long.toString(snapshot.rows));
            assertThat(snapshot.rows).isEqualTo(3 * 2 * 96);
            assertThat(outcome.finishedAt()).isGreaterThanOrEqualTo(outcome.startedAt());
            assertThat(finishedJobIds(cluster)).contains(outcome.jobId());
        }
    }

    @Test
    void repairsADamagedFileFromTheBackup() throws Exception {
        SnapshotFixture snapshot = SnapshotFixture.write(dir, 2, 1);
        SnapshotFixture.flipBytes(snapshot.firstFile(snapshot.primary));
        try (RetrainLauncher launcher = localLauncher(snapshot)) {
            LaunchOutcome outcome = launcher.launch(snapshot.request("req-repaired")).get(3, TimeUnit.MINUTES);

            assertThat(outcome.status()).as(outcome.message()).isEqualTo(Status.SUCCEEDED);
            assertThat(outcome.results()).containsEntry(VerifySnapshotJob.ROWS, Long.toString(snapshot.rows));
        }
    }

    @Test
    void refusesASnapshotWhoseBackupIsDamagedToo(@InjectClusterClient ClusterClient<?> cluster) throws Exception {
        SnapshotFixture snapshot = SnapshotFixture.write(dir, 2, 1);
        SnapshotFixture.flipBytes(snapshot.firstFile(snapshot.primary));
        SnapshotFixture.flipBytes(snapshot.firstFile(snapshot.backup));
        int jobsBefore = cluster.listJobs().get().size();
        try (RetrainLauncher launcher = localLauncher(snapshot)) {
            LaunchOutcome outcome = launcher.launch(snapshot.request("req-corrupt")).get(3, TimeUnit.MINUTES);

            assertThat(outcome.status()).isEqualTo(Status.FAILED);
            assertThat(outcome.message()).contains("REFUSED snapshot range", "WRONG_SHA256", "BACKUP_CORRUPT",
                    snapshot.manifests.get(0).files().get(0).path());
            assertThat(outcome.jobId()).isNull();
        }
        assertThat(cluster.listJobs().get()).as("no job may start on refused data").hasSize(jobsBefore);
    }

    @Test
    void aRepeatedRequestIdStartsNoSecondJob(@InjectClusterClient ClusterClient<?> cluster) throws Exception {
        SnapshotFixture snapshot = SnapshotFixture.write(dir, 1, 1);
        int jobsBefore = cluster.listJobs().get().size();
        try (RetrainLauncher launcher = localLauncher(snapshot)) {
            CompletableFuture<LaunchOutcome> first = launcher.launch(snapshot.request("req-twice"));
            CompletableFuture<LaunchOutcome> whileRunning = launcher.launch(snapshot.request("req-twice"));
            LaunchOutcome outcome = first.get(3, TimeUnit.MINUTES);
            LaunchOutcome afterwards = launcher.launch(snapshot.request("req-twice")).get(1, TimeUnit.MINUTES);

            assertThat(outcome.status()).as(outcome.message()).isEqualTo(Status.SUCCEEDED);
            assertThat(whileRunning.get(1, TimeUnit.MINUTES)).isEqualTo(outcome);
            assertThat(afterwards).isEqualTo(outcome);
        }
        assertThat(cluster.listJobs().get()).hasSize(jobsBefore + 1);
    }

    @Test
    void theLaunchFunctionTurnsRequestsIntoOutcomes() throws Exception {
        SnapshotFixture snapshot = SnapshotFixture.write(dir, 1, 1);
        LauncherConfig config = LauncherConfig.from(new Settings(snapshot.settings()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        // a replayed request (same id) among them: launched once, reported twice with the same outcome
        List<RetrainRequest> requests = List.of(snapshot.request("req-a"), snapshot.request("req-b"),
                snapshot.request("req-a"));
        List<LaunchOutcome> outcomes = new ArrayList<>();
        try (CloseableIterator<LaunchOutcome> collected = LaunchRetrainFunction
                .attach(env.fromData(requests), config).executeAndCollect("launch retrain requests")) {
            collected.forEachRemaining(outcomes::add);
        }

        assertThat(outcomes).hasSize(3).allSatisfy(o -> {
            assertThat(o.status()).as(o.message()).isEqualTo(Status.SUCCEEDED);
            assertThat(o.results()).containsEntry(VerifySnapshotJob.ROWS, Long.toString(snapshot.rows));
        });
        Map<String, String> jobByRequest = new HashMap<>();
        outcomes.forEach(o -> assertThat(jobByRequest.merge(o.requestId(), o.jobId(), (a, b) -> a.equals(b) ? a : "DIFFERENT"))
                .isNotEqualTo("DIFFERENT"));
        assertThat(jobByRequest).containsOnlyKeys("req-a", "req-b");
        assertThat(jobByRequest.get("req-a")).isNotEqualTo(jobByRequest.get("req-b"));
    }

    private static List<String> finishedJobIds(ClusterClient<?> cluster) throws Exception {
        return cluster.listJobs().get().stream()
                .filter(job -> job.getJobState() == JobStatus.FINISHED)
                .map(JobStatusMessage::getJobId).map(Object::toString).toList();
    }
}
