package io.imlma.jobs.launch;

import io.imlma.common.types.RetrainRequest;
import io.imlma.jobs.launch.LaunchOutcome.Status;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * Connects the trigger's requests to a {@link RetrainLauncher} with Flink's async I/O: a training runs while the
 * stream goes on and checkpoints (requests in flight are kept in the operator's state and launched again after a
 * restore, which the launcher's idempotency by request id makes harmless once its ledger is durable). Emits one
 * {@link LaunchOutcome} per request.
 */
public final class LaunchRetrainFunction extends RichAsyncFunction<RetrainRequest, LaunchOutcome> {
    private static final long serialVersionUID = 1L;
    /** Beyond the launcher's own timeout: the REST mode reports TIMED_OUT itself first. */
    private static final long TIMEOUT_MARGIN_MS = TimeUnit.MINUTES.toMillis(5);
    private static final int MAX_IN_FLIGHT = 100;

    private final LauncherConfig config;
    private transient RetrainLauncher launcher;

    public LaunchRetrainFunction(LauncherConfig config) {
        this.config = config;
    }

    /** Attaches the launcher to {@code requests}: operator "retrain launcher", uid {@code retrain-launcher}. */
    public static DataStream<LaunchOutcome> attach(DataStream<RetrainRequest> requests, LauncherConfig config) {
        return AsyncDataStream.unorderedWait(requests, new LaunchRetrainFunction(config),
                        config.timeout().toMillis() + TIMEOUT_MARGIN_MS, TimeUnit.MILLISECONDS, MAX_IN_FLIGHT)
                .name("retrain launcher").uid("retrain-launcher")
                // one launcher instance, so one ledger sees every request
                .setParallelism(1).setMaxParallelism(1);
    }

    @Override
    public void open(OpenContext openContext) {
        launcher = config.create();
    }

    @Override
    public void asyncInvoke(RetrainRequest request, ResultFuture<LaunchOutcome> result) {
        launcher.launch(request).thenAccept(outcome -> result.complete(List.of(outcome)));
    }

    @Override
    public void timeout(RetrainRequest request, ResultFuture<LaunchOutcome> result) {
        long now = System.currentTimeMillis();
        String mode = config.mode().name().toLowerCase(Locale.ROOT).replace('_', '-');
        result.complete(List.of(new LaunchOutcome(request.requestId(), mode, null, Status.TIMED_OUT, now, now,
                "no outcome within the launcher's timeout", Map.of())));
    }

    @Override
    public void close() {
        if (launcher != null) {
            launcher.close();
        }
    }
}
