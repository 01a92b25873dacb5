package io.imlma.bench.retrain;

import io.imlma.bench.cli.Arguments;
import io.imlma.common.config.Settings;
import io.imlma.common.integrity.IntegrityStore;
import io.imlma.common.integrity.SnapshotLocation;
import io.imlma.jobs.launch.RetrainJobSpec;
import io.imlma.jobs.retrain.RetrainConfig;
import io.imlma.jobs.retrain.RetrainResult;
import io.imlma.jobs.retrain.Retraining;
import io.imlma.jobs.snapshot.EttSnapshot;
import io.imlma.registry.ModelStore;
import io.imlma.registry.jdbc.RegistryDataSource;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.FileUtils;

/**
 * Wall time of a full retrain (verify, read, features, tuning rounds as Flink jobs on a local environment,
 * evaluation, artifact, registry) on a snapshot of ETTm1, and the tuned model's test MAE against the naive baselines.
 */
public final class RetrainBenchmark {
    public static final String COMMAND = "bench-retrain";
    private static final Instant FROM = Instant.parse("2016-07-01T00:00:00Z");

    /** @param trainer and {@code method}, {@code trials}, {@code roundSize}: as {@link RetrainConfig} reads them */
    public record Options(int weeks, List<String> channels, int trials, int roundSize, String trainer, String method,
                          int parallelism) {
        public Options {
            channels = List.copyOf(channels);
            Settings.require(weeks >= 1, "weeks", "must be at least 1");
            Settings.require(!channels.isEmpty(), "channels", "must name at least one ETT column");
            Settings.require(parallelism >= 1, "parallelism", "must be at least 1");
        }

        public static Options from(Arguments a) {
            return from(a, "", RetrainConfig.TRAINER.defaultValue().orElseThrow());
        }

        /** The options named {@code prefix + name}, with {@code trainer} as the trainer's default. */
        public static Options from(Arguments a, String prefix, String trainer) {
            return new Options(a.integer(prefix + "weeks", 8, "weeks of data from the start of the file"),
                    List.of(a.string(prefix + "channels", "HUFL,MUFL,LUFL", "ETT columns, one meter each").split(",")),
                    a.integer(prefix + "trials", 20, "tuning trials"),
                    a.integer(prefix + "round-size", 4, "trials per round, each round a Flink job"),
                    a.string(prefix + "trainer", trainer, "linear, nlinear, nlinear-scaled, dlinear or mlp"),
                    a.string(prefix + "method", "bo", "tuning method: bo, random or grid"),
                    a.integer(prefix + "parallelism", 2, "parallelism of the local environment"));
        }
    }

    /** @param seconds wall time of the whole retraining */
    public record Figures(Options options, double seconds, RetrainResult result) {
        public void printTo(PrintStream out) {
            out.printf(Locale.ROOT, "ETTm1 %s, %d weeks, %s/%s, %d trials in rounds of %d: wall time %.1f s%n",
                    options.channels(), options.weeks(), result.trainer(), options.method(), result.trials().size(),
                    options.roundSize(), seconds);
            out.printf(Locale.ROOT, "test forecasts %d values (every step of every window): MAE candidate %.4f,"
                            + " last value %.4f, same time yesterday %s; R² candidate %.4f, last value %.4f; best %s%n",
                    result.candidate().count(), result.candidate().mae(), result.lastValue().mae(),
                    result.seasonalValue() == null ? "-" : String.format(Locale.ROOT, "%.4f",
                            result.seasonalValue().mae()), result.candidate().r2(), result.lastValue().r2(),
                    result.hyperparameters());
        }
    }

    private RetrainBenchmark() {}

    public static void main(String[] args) throws Exception {
        Arguments.run(args, COMMAND, "Wall time of a full retraining (RetrainJob's work on a local Flink "
                + "environment) on an ETTm1 snapshot, and the tuned model's test MAE against the naive baselines.",
                Options::from, options -> run(options).printTo(System.out));
    }

    public static Figures run(Options options) throws Exception {
        Path dir = Files.createTempDirectory("retrain-benchmark");
        try {
            IntegrityStore snapshots = new IntegrityStore(dir.resolve("snapshots").toUri(),
                    dir.resolve("snapshots-backup").toUri());
            EttSnapshot.write(snapshots, options.channels(), 96 * 7 * options.weeks());
            Map<String, String> values = new HashMap<>();
            values.put(RetrainJobSpec.REQUEST_ID.key(), "benchmark");
            values.put(RetrainJobSpec.MODEL.key(), "benchmark");
            values.put(RetrainJobSpec.DATA_FROM.key(), FROM.toString());
            values.put(RetrainJobSpec.DATA_TO.key(), FROM.plus(Duration.ofDays(7L * options.weeks())).toString());
            values.put(SnapshotLocation.PATH.key(), snapshots.primaryBase().toString());
            values.put(SnapshotLocation.BACKUP_PATH.key(), snapshots.backupBase().toString());
            values.put(ModelStore.PATH.key(), dir.resolve("models").toUri().toString());
            values.put(ModelStore.BACKUP_PATH.key(), dir.resolve("models-backup").toUri().toString());
            values.put(RegistryDataSource.JDBC_URL.key(), RegistryDataSource.h2File(dir.resolve("registry")));
            values.put(RetrainConfig.TRAINER.key(), options.trainer());
            values.put(RetrainConfig.TUNING_METHOD.key(), options.method());
            values.put(RetrainConfig.TUNING_TRIALS.key(), Integer.toString(options.trials()));
            values.put(RetrainConfig.TUNING_ROUND_SIZE.key(), Integer.toString(options.roundSize()));
            values.put(RetrainConfig.TUNING_PATIENCE.key(), "0");

            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(options.parallelism());
            long started = System.nanoTime();
            RetrainResult result = Retraining.run(env, new Settings(values));
            return new Figures(options, (System.nanoTime() - started) / 1e9, result);
        } finally {
            FileUtils.deleteDirectory(dir.toFile());
        }
    }
}
