package io.imlma.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.imlma.common.types.AlarmType;
import io.imlma.common.types.Severity;
import io.imlma.jobs.launch.LaunchOutcome;
import io.imlma.jobs.launch.LaunchOutcome.Status;
import io.imlma.registry.AlarmEpisode;
import io.imlma.registry.ModelVersion;
import io.imlma.registry.VersionMetrics;
import io.imlma.registry.VersionStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The console's events between two reads of the ledger and the registry, and its summary line. */
class LoopViewTest {
    private static final Instant FROM = Instant.parse("2016-07-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2016-07-29T00:00:00Z");

    @Test
    void aRetrainingIsReportedWhenLaunchedAndOnceDecidedAndAFailureWithItsCause() {
        LoopView launched = new LoopView(List.of(launch("r1", Status.RUNNING, null)), List.of(), List.of());
        assertThat(launched.eventsSince(LoopView.EMPTY)).containsExactly("retraining launched (request r1)");

        LoopView registered = new LoopView(launched.launches(), List.of(version(2, VersionStatus.CANDIDATE,
                List.of("MAE improves by 0.41 %, needs at least 1.00 %"))), List.of());
        assertThat(registered.eventsSince(launched)).as("a candidate's decision follows").isEmpty();

        LoopView rejected = new LoopView(List.of(launch("r1", Status.SUCCEEDED, "ok")), List.of(version(2,
                VersionStatus.REJECTED, List.of("MAE improves by 0.41 %, needs at least 1.00 %",
                        "rejected: MAE improves by 0.41 %, needs at least 1.00 %"))), List.of());
        assertThat(rejected.eventsSince(registered)).containsExactly("load-forecast v2 rejected (test MAE 0.3000,"
                + " data 2016-07-01 .. 2016-07-29): MAE improves by 0.41 %, needs at least 1.00 %");
        assertThat(rejected.eventsSince(rejected)).isEmpty();

        LoopView failed = new LoopView(List.of(launch("r1", Status.SUCCEEDED, "ok"),
                launch("r2", Status.FAILED, "snapshot refused")), rejected.versions(), List.of());
        assertThat(failed.eventsSince(rejected)).containsExactly("retraining failed (request r2): snapshot refused");
    }

    @Test
    void alarmsAreReportedWhenRaisedAndWhenCleared() {
        AlarmEpisode drift = alarm("a1", AlarmType.DRIFT, "ETTm1/OT");
        AlarmEpisode latency = alarm("a2", AlarmType.LATENCY, null);
        LoopView raised = new LoopView(List.of(), List.of(), List.of(drift, latency));
        assertThat(raised.eventsSince(LoopView.EMPTY)).containsExactly(
                "alarm raised: WARNING DRIFT ETTm1/OT - it drifted", "alarm raised: WARNING LATENCY - it drifted");
        LoopView cleared = new LoopView(List.of(), List.of(), List.of(latency));
        assertThat(cleared.eventsSince(raised)).containsExactly("alarm cleared: DRIFT ETTm1/OT");
    }

    @Test
    void theSummaryCountsRequestsVersionsTheChampionAndActiveAlarms() {
        LoopView view = new LoopView(List.of(launch("r1", Status.SUCCEEDED, "ok"), launch("r2", Status.RUNNING, null)),
                List.of(version(1, VersionStatus.CHAMPION, List.of("no champion yet")),
                        version(2, VersionStatus.REJECTED, List.of())),
                List.of(alarm("a1", AlarmType.DRIFT, "ETTm1/OT")));
        assertThat(view.summary())
                .isEqualTo("trigger: 2 requests · versions 2 (champion v1, 1 rejected) · alarms 1 active");
    }

    private static LaunchOutcome launch(String id, Status status, String message) {
        return new LaunchOutcome(id, "local", null, status, 1, status.terminal() ? 2 : 0, message, Map.of());
    }

    private static ModelVersion version(int number, VersionStatus status, List<String> reasons) {
        return new ModelVersion("load-forecast", number, TO, "run-" + number, FROM, TO, "snap", "linear", Map.of(),
                new VersionMetrics(0.2, 0.3, 0.99), null, null, "models/" + number, "sha", status, TO, reasons,
                null, null, null);
    }

    private static AlarmEpisode alarm(String id, AlarmType type, String meter) {
        return new AlarmEpisode(id, type, Severity.WARNING, meter, 1, 1.0, 0.5, 0, "it drifted", null, null, null,
                null);
    }
}
