package io.imlma.jobs;

import io.imlma.common.config.Settings;
import io.imlma.common.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The embedded default: the meter pipeline on a local Flink cluster (web UI, Prometheus reporter), replaying an
 * ETT-format CSV (the bundled ETTm1 by default) with RocksDB state and checkpoints and file outputs under a local
 * work directory. No Kafka or other server.
 *
 * <p>Settings (besides those of {@link PipelineConfig}): {@code --input} (default {@code data/ETTm1.csv.gz}),
 * {@code --speed-up} (event time per wall time, default 100000: two years in about ten minutes; 0 = as fast as
 * possible), {@code --work-dir} (default {@code demo-work}), {@code --web-port} (8081), {@code --prometheus-port}
 * (9249), {@code --parallelism} (2).
 */
public final class Demo {
    private Demo() {}

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromArgs(args);
        Path workDir = Path.of(settings.string("work-dir", "demo-work")).toAbsolutePath().normalize();
        settings = settings.withDefaults(Map.of(
                PipelineConfig.CHECKPOINT_DIR, workDir.resolve("checkpoints").toUri().toString(),
                PipelineConfig.CHECKPOINT_INTERVAL, "10s",
                // the replay is in file order: a little disorder tolerance is enough, and the last minutes of a
                // silent split should not stall the windows
                PipelineConfig.OUT_OF_ORDERNESS, "1min"));
        PipelineConfig config = PipelineConfig.from(settings);
        Path input = Path.of(settings.string("input", "data/ETTm1.csv.gz"));
        Settings.require(Files.isRegularFile(input), "input", "no such file: " + input.toAbsolutePath());
        double speedUp = settings.decimal("speed-up", 100_000);
        Settings.require(speedUp >= 0, "speed-up", "must be 0 (as fast as possible) or positive");
        int webPort = settings.integer("web-port", 8081);
        int prometheusPort = settings.integer("prometheus-port", 9249);
        int parallelism = settings.integer("parallelism", 2);
        Settings.require(parallelism >= 1, "parallelism", "must be at least 1");

        Configuration flink = new Configuration();
        flink.set(RestOptions.PORT, webPort);
        flink.setString("metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        flink.setString("metrics.reporter.prom.port", Integer.toString(prometheusPort));
        flink.setString("state.backend.rocksdb.localdir", workDir.resolve("rocksdb").toString());
        StreamExecutionEnvironment env = JobEnvironment.configure(
                StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink), config);
        env.setParallelism(parallelism);

        PipelineOutputs outputs = MeterPipelineJob.replayEttFile(env, config, input, speedUp);

        Path featuresDir = workDir.resolve("features");
        Path deadLettersDir = workDir.resolve("dead-letters");
        outputs.features().map(Json::write).returns(Types.STRING).name("features-json").uid("features-json")
                .sinkTo(jsonLines(featuresDir)).name("features-files").uid("features-files");
        outputs.deadLetters().map(Json::write).returns(Types.STRING).name("dead-letters-json").uid("dead-letters-json")
                .sinkTo(jsonLines(deadLettersDir)).name("dead-letters-files").uid("dead-letters-files");

        JobClient job = env.executeAsync("imlma-demo-meter-pipeline");
        System.out.printf("""

                IMLMA demo: replaying %s at %s× real time (job %s)
                  Flink web UI      http://localhost:%d
                  Prometheus        http://localhost:%d/metrics   (e.g. grep imlma)
                  feature rows      %s   (JSON lines; files complete at each checkpoint)
                  dead letters      %s
                  checkpoints       %s
                Stop with Ctrl-C.
                %n""", input, speedUp == 0 ? "max" : speedUp, job.getJobID(), webPort, prometheusPort,
                featuresDir, deadLettersDir, config.checkpointDir());
        job.getJobExecutionResult().get();
        System.out.println("Replay finished; feature rows are in " + featuresDir);
    }

    private static FileSink<String> jsonLines(Path dir) {
        // roll on every checkpoint so finished files appear as the replay goes, not only after an hour
        return FileSink.forRowFormat(new org.apache.flink.core.fs.Path(dir.toUri()), new SimpleStringEncoder<String>())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .build();
    }
}
