package io.imlma.jobs.retrain;

import io.imlma.common.config.Settings;
import io.imlma.common.integrity.IntegrityStore;
import io.imlma.jobs.retrain.Retraining;
import io.imlma.registry.jdbc.RegistryDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Wall time of a full retrain (verify, read, features, tuning rounds as Flink jobs on a local environment,
 * evaluation, artifact, registry) on ETTm1, and the tuned model's test MAE against the naive baselines. Options:
 * {@code --weeks 8}, {@code --channels HUFL,MUFL,LUFL}, {@code --trials 20}, {@code --round-size 4},
 * {@code --trainer linear|mlp}, {@code --method bo|random|grid}, {@code --parallelism 2}.
 */
public final class RetrainBenchmark {
    private RetrainBenchmark() {}

    public static void main(String[] args) throws Exception {
        Settings options = Settings.fromArgs(args);
        int weeks = options.integer("weeks", 8);
        List<String> channels = List.of(options.string("channels", "HUFL,MUFL,LUFL").split(","));
        Path dir = Files.createTempDirectory("retrain-benchmark");
        IntegrityStore snapshots = new IntegrityStore(dir.resolve("snapshots").toUri(),
                dir.resolve("snapshots-backup").toUri());
        EttSnapshot.write(snapshots, channels, 96 * 7 * weeks);
        Instant from = Instant.parse("2016-07-01T00:00:00Z");
        Map<String, String> values = new HashMap<>();
        values.put("request-id", "benchmark");
        values.put("model", "benchmark");
        values.put("data-from", from.toString());
        values.put("data-to", from.plus(Duration.ofDays(7L * weeks)).toString());
        values.put("snapshot.path", snapshots.primaryBase().toString());
        values.put("snapshot.backup-path", snapshots.backupBase().toString());
        values.put("model.store.path", dir.resolve("models").toUri().toString());
        values.put("model.store.backup-path", dir.resolve("models-backup").toUri().toString());
        values.put(RegistryDataSource.JDBC_URL, RegistryDataSource.h2File(dir.resolve("registry")));
        values.put("training.model", options.string("trainer", "linear"));
        values.put("tuning.method", options.string("method", "bo"));
        values.put("tuning.trials", options.string("trials", "20"));
        values.put("tuning.round-size", options.string("round-size", "4"));
        values.put("tuning.patience", "0");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(
                options.integer("parallelism", 2));
        long started = System.nanoTime();
        RetrainResult r = Retraining.run(env, new Settings(values));
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "ETTm1 %s, %d weeks, %s/%s, %d trials in rounds of %s: wall time %.1f s%n",
                channels, weeks, r.trainer(), options.string("method", "bo"), r.trials().size(),
                options.string("round-size", "4"), seconds);
        System.out.printf(Locale.ROOT, "test rows %d: MAE candidate %.4f, last value %.4f, seasonal %.4f;"
                        + " R² candidate %.4f, last value %.4f; best %s%n", r.candidate().count(),
                r.candidate().mae(), r.lastValue().mae(), r.seasonalValue().mae(), r.candidate().r2(),
                r.lastValue().r2(), r.hyperparameters());
    }
}
