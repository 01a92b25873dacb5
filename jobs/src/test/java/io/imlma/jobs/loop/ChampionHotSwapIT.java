package io.imlma.jobs.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imlma.common.integrity.IntegrityStore;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.ModelUpdate;
import io.imlma.common.types.Prediction;
import io.imlma.jobs.CollectingSink;
import io.imlma.jobs.connect.InProcessQueueSource;
import io.imlma.ml.eval.Metrics;
import io.imlma.ml.horizon.HorizonSpec;
import io.imlma.ml.horizon.LinearHorizonModel;
import io.imlma.ml.horizon.ModelArtifact;
import io.imlma.ml.horizon.Normalization;
import io.imlma.registry.ModelStore;
import io.imlma.udf.serve.ScoreWithChampion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.time.Deadline;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot swap on a MiniCluster: the running scorer serves v1 from the model store, switches to v2 on its update event
 * (the forecasts change to v2's), and refuses a v3 whose file and backup are both damaged — v2 keeps serving and a
 * critical integrity alarm comes out — all in one job run, without a restart.
 */
class ChampionHotSwapIT {
    private static final String MODEL = "load-forecast";
    private static final long INTERVAL = 15 * 60_000L;
    private static final Duration DEADLINE = Duration.ofMinutes(2);

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path dir;

    /** Two inputs, no calendar, one step: forecast = w1·(last mean) + w2·(the mean before) + bias. */
    private static ModelArtifact linear(double w1, double w2, double bias) {
        return new ModelArtifact(ModelArtifact.FORMAT_VERSION, MODEL, "linear", Map.of(),
                new Metrics(100, 0.04, 0.2, 0.5), 0.1, 0L, 1L, 2L,
                new LinearHorizonModel(new HorizonSpec(2, 1, false, ZoneOffset.UTC), Normalization.NONE,
                        new double[] {w2, w1}, new double[] {bias}));
    }

    private static ModelUpdate write(ModelStore store, int version, ModelArtifact artifact) throws Exception {
        String path = ModelStore.relativePath(MODEL, version);
        return new ModelUpdate(MODEL, version, path, store.write(path, artifact), System.currentTimeMillis());
    }

    @Test
    void switchesChampionOnAnUpdateEventAndRefusesADamagedOne() throws Exception {
        IntegrityStore models = new IntegrityStore(dir.resolve("models").toUri(), dir.resolve("backup").toUri());
        ModelStore store = new ModelStore(models, Clock.systemUTC(), alarm -> { });
        ModelUpdate v1 = write(store, 1, linear(1, 0, 0));     // last value
        ModelUpdate v2 = write(store, 2, linear(0, 1, 1000));  // the value before, + 1000
        ModelUpdate v3 = write(store, 3, linear(0, 0, -1));
        for (Path copy : List.of(Path.of(models.primary(v3.artifactPath()).toUri()),
                Path.of(models.backup(v3.artifactPath()).toUri()))) {
            byte[] bytes = Files.readAllBytes(copy);
            bytes[bytes.length / 2] ^= 1;
            Files.write(copy, bytes);
        }

        String name = "hot-swap-" + System.nanoTime();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<FeatureRow> rows = env.addSource(InProcessQueueSource.<FeatureRow>reading(name + "-rows"),
                TypeInformation.of(FeatureRow.class)).name("rows").uid("rows").setParallelism(1);
        DataStream<ModelUpdate> updates = env.addSource(InProcessQueueSource.<ModelUpdate>reading(name + "-updates"),
                TypeInformation.of(ModelUpdate.class)).name("updates").uid("updates").setParallelism(1);
        SingleOutputStreamOperator<Prediction> scored = rows.keyBy(FeatureRow::meterId)
                .connect(updates.broadcast(ScoreWithChampion.CHAMPION))
                .process(new ScoreWithChampion(MODEL, 4, new ModelStoreLoader(models)),
                        TypeInformation.of(Prediction.class))
                .name("score").uid("score");
        scored.sinkTo(CollectingSink.named(name + "-predictions")).name("predictions").uid("predictions");
        scored.getSideOutput(ScoreWithChampion.ALARMS).sinkTo(CollectingSink.named(name + "-alarms"))
                .name("alarms").uid("alarms");

        JobClient job = env.executeAsync("champion-hot-swap-it");
        Deadline deadline = Deadline.fromNow(DEADLINE);
        try {
            InProcessQueueSource.offer(name + "-updates", v1);
            // rows keep coming until v1 scores: the update and the rows travel on different inputs
            int interval = 0;
            interval = feedUntil(name, interval, deadline, "v1", p -> p.modelVersion() == 1);
            InProcessQueueSource.offer(name + "-updates", v2);
            interval = feedUntil(name, interval, deadline, "v2", p -> p.modelVersion() == 2);
            InProcessQueueSource.offer(name + "-updates", v3);
            await("v3 refused").atMost(deadline.timeLeftIfAny()).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> !CollectingSink.<Alarm>collected(name + "-alarms").isEmpty());
            interval = feedUntil(name, interval, deadline, "v2 after v3", p -> p.modelVersion() == 2
                    && p.issueTime() > feedingFrom);

            List<Prediction> predictions = CollectingSink.collected(name + "-predictions");
            for (Prediction p : predictions) {
                int target = (int) (p.issueTime() / INTERVAL);
                double last = mean(target - 1);
                double before = mean(target - 2);
                double expected = p.modelVersion() == 1 ? last : before + 1000;
                assertThat(p.forecast()).as("forecast of %s", p).containsExactly(expected);
            }
            assertThat(predictions).extracting(Prediction::modelVersion).containsOnly(1, 2);
            // in event order the versions only go forward: the swap happened once, in the running job
            List<Integer> versions = predictions.stream()
                    .sorted(java.util.Comparator.comparingLong(Prediction::issueTime))
                    .map(Prediction::modelVersion).toList();
            assertThat(versions).isSorted();
            assertThat(CollectingSink.<Alarm>collected(name + "-alarms"))
                    .anySatisfy(a -> {
                        assertThat(a.type()).isEqualTo(AlarmType.INTEGRITY);
                        assertThat(a.message()).contains("v3").contains("refused").contains("v2 keeps serving");
                    });
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get();
        }
    }

    /** Start of the first target scored by the current {@link #feedUntil} call. */
    private long feedingFrom;

    private static double mean(int interval) {
        return 10 + interval % 7;
    }

    /** Feeds one meter's rows until a prediction matches; returns the next interval to feed. */
    /** Feeds one meter's rows, one every 50 ms, until a prediction matches; returns the next interval to feed. */
    private int feedUntil(String name, int interval, Deadline deadline, String what,
            java.util.function.Predicate<Prediction> wanted) throws TimeoutException {
        feedingFrom = (interval + 1) * INTERVAL;
        AtomicInteger next = new AtomicInteger(interval);
        await("a prediction of " + what).atMost(deadline.timeLeftIfAny()).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(50)).until(() -> {
                    if (CollectingSink.<Prediction>collected(name + "-predictions").stream().anyMatch(wanted)) {
                        return true;
                    }
                    int k = next.getAndIncrement();
                    long start = k * INTERVAL;
                    InProcessQueueSource.offer(name + "-rows", new FeatureRow("meter", start, start + INTERVAL,
                            mean(k), mean(k), mean(k), 1, 0, false, false, start));
                    return false;
                });
        return next.get();
    }
}
