package io.imlma.bench.serving;

import io.imlma.api.ApiConfig;
import io.imlma.api.ApiServer;
import io.imlma.bench.cli.Arguments;
import io.imlma.common.config.Settings;
import io.imlma.common.integrity.IntegrityStore;
import io.imlma.common.json.Json;
import io.imlma.common.types.FeatureRow;
import io.imlma.ml.data.BundledData;
import io.imlma.ml.data.EttCsv;
import io.imlma.ml.horizon.HorizonEvaluation;
import io.imlma.ml.horizon.HorizonModel;
import io.imlma.ml.horizon.HorizonSpec;
import io.imlma.ml.horizon.ModelArtifact;
import io.imlma.ml.horizon.RidgeForecaster;
import io.imlma.ml.horizon.TrainingWindows;
import io.imlma.ml.horizon.Windows;
import io.imlma.registry.ModelStore;
import io.imlma.registry.ModelVersion;
import io.imlma.registry.NewVersion;
import io.imlma.registry.VersionMetrics;
import io.imlma.registry.jdbc.JdbcModelRegistry;
import io.imlma.registry.jdbc.RegistryDataSource;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.util.FileUtils;

/**
 * Throughput and latency of POST /predict under load: starts the API on a loopback port over an H2 registry whose
 * champion is the day-ahead NLinear model (96 steps from 336 intervals + calendar features, the production default)
 * trained on ETTm1, then drives
 * it with {@code wrk} in its own process (2 threads, closed loop, a POST of 96 recent values) at 50, 100, 250 and
 * 500 connections, for a fixed time per level after a warm-up. Reports requests/s, mean, p50, p99 and max latency
 * (wrk's own histogram) and the CPU split: the server's JVM (its process CPU time) against wrk's (the shell's
 * {@code times} for its child), with the machine's load average, since the cores are shared.
 */
public final class PredictBenchmark {
    public static final String COMMAND = "bench-predict";
    static final int[] CONNECTIONS = {50, 100, 250, 500};
    private static final String MODEL = "load-forecast";
    private static final int WRK_THREADS = 2;
    private static final Duration WARM_UP = Duration.ofSeconds(5);
    static final String INSTALL_WRK = COMMAND + " drives the server with wrk, a load generator in its own process, "
            + "which is not on the PATH: install it with `apt-get install wrk` (Debian/Ubuntu)";
    /** The line wrk's {@code done} hook prints (see predict.lua), latencies in microseconds. */
    private static final Pattern WRK_SUMMARY = Pattern.compile("imlma-wrk requests=(\\d+) duration_us=(\\d+) "
            + "errors=(\\d+) mean_us=([\\d.]+) p50_us=([\\d.]+) p99_us=([\\d.]+) max_us=([\\d.]+)");
    /** The second line of bash's {@code times}: user and system time of its children (wrk). */
    private static final Pattern CHILD_TIMES = Pattern.compile("(?m)^(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s\\s*\\z");

    /** @param serverThreads most threads of the server's pool ({@link ApiConfig#THREADS}) */
    public record Options(int secondsPerLevel, int serverThreads) {
        private static final int SERVER_THREADS = ApiConfig.THREADS.defaultValue().orElseThrow();

        public Options {
            Settings.require(secondsPerLevel >= 1, "seconds-per-level", "must be at least 1");
        }

        public Options(int secondsPerLevel) {
            this(secondsPerLevel, SERVER_THREADS);
        }

        public static Options from(Arguments a) {
            return new Options(a.integer("seconds-per-level", 20, "seconds of load per connection level"),
                    a.integer(ApiConfig.THREADS.key(), SERVER_THREADS, "most threads of the server's pool"));
        }
    }

    /** The champion served and the figures of each connection level, in the order run. */
    public record Figures(int championVersion, int horizon, double championTestMae, List<Level> levels) {
        public void printTo(PrintStream out) {
            out.printf("champion %s v%d: nlinear, %d-step forecasts, test MAE %.4f; load generator: wrk, %d threads, "
                    + "own process%n", MODEL, championVersion, horizon, championTestMae, WRK_THREADS);
            out.printf("%-11s %9s %8s %8s %8s %8s %9s %6s %10s %10s %10s %6s%n", "connections", "requests",
                    "mean ms", "p50 ms", "p99 ms", "max ms", "req/s", "errors", "server CPU", "µs/request", "wrk CPU",
                    "load");
            for (Level l : levels) {
                out.printf("%-11d %9d %8.2f %8.2f %8.2f %8.2f %9.0f %6d %9.1fs %10.1f %9.1fs %6.2f%n", l.clients(),
                        l.requests(), l.meanMs(), l.p50Ms(), l.p99Ms(), l.maxMs(), l.requestsPerSecond(),
                        l.errors(), l.serverCpuSeconds(), l.serverCpuMicrosPerRequest(),
                        l.loadGeneratorCpuSeconds(), l.loadAverage());
            }
            out.printf("server CPU: the API's JVM (µs/request: its CPU time per answer, less sensitive to the "
                    + "neighbours than req/s); wrk CPU: user + system time of the wrk process; load: the 1-minute "
                    + "load average before the level, on %d shared cores%n",
                    Runtime.getRuntime().availableProcessors());
        }
    }

    /**
     * One connection level.
     *
     * @param clients     concurrent connections
     * @param errors      connection errors, timeouts and non-2xx answers
     * @param loadAverage the machine's 1-minute load average as the level started
     */
    public record Level(int clients, long requests, double meanMs, double p50Ms, double p99Ms, double maxMs,
                        double requestsPerSecond, long errors, double serverCpuSeconds,
                        double loadGeneratorCpuSeconds, double loadAverage) {
        public double serverCpuMicrosPerRequest() {
            return serverCpuSeconds * 1e6 / requests;
        }

        /** A level from wrk's output (its summary line and then bash's {@code times}). */
        static Level parse(int clients, String wrkOutput, double serverCpuSeconds, double loadAverage) {
            Matcher summary = WRK_SUMMARY.matcher(wrkOutput);
            Matcher times = CHILD_TIMES.matcher(wrkOutput);
            if (!summary.find() || !times.find()) {
                throw new IllegalStateException("unexpected output of wrk:\n" + wrkOutput);
            }
            long requests = Long.parseLong(summary.group(1));
            double seconds = Long.parseLong(summary.group(2)) / 1e6;
            double wrkCpu = Integer.parseInt(times.group(1)) * 60 + Double.parseDouble(times.group(2))
                    + Integer.parseInt(times.group(3)) * 60 + Double.parseDouble(times.group(4));
            return new Level(clients, requests, micros(summary, 4), micros(summary, 5), micros(summary, 6),
                    micros(summary, 7), requests / seconds, Long.parseLong(summary.group(3)), serverCpuSeconds,
                    wrkCpu, loadAverage);
        }

        private static double micros(Matcher m, int group) {
            return Double.parseDouble(m.group(group)) / 1000;
        }
    }

    private PredictBenchmark() {}

    public static void main(String[] args) throws Exception {
        Arguments.run(args, COMMAND, "Throughput and latency of POST /predict on a loopback API over an H2 registry "
                + "with a linear ETTm1 champion, driven by wrk in its own process at "
                + Arrays.toString(CONNECTIONS) + " connections.", Options::from, options -> {
                    if (wrk().isEmpty()) {
                        System.err.println(INSTALL_WRK);
                        System.exit(2);
                    }
                    run(options).printTo(System.out);
                });
    }

    /** wrk on the PATH, if installed. */
    static Optional<Path> wrk() {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "wrk"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    public static Figures run(Options options) throws Exception {
        Path wrk = wrk().orElseThrow(() -> new IllegalStateException(INSTALL_WRK));
        Duration timePerLevel = Duration.ofSeconds(options.secondsPerLevel());
        Path dir = Files.createTempDirectory("predict-benchmark");

        List<FeatureRow> rows = EttCsv.read(BundledData.ettm1(), "OT", 0, 6_000);
        HorizonSpec spec = HorizonSpec.dayAhead();
        Settings settings = new Settings(Map.of(
                RegistryDataSource.JDBC_URL.key(), RegistryDataSource.h2InMemory("bench-" + UUID.randomUUID()),
                ApiConfig.HOST.key(), "127.0.0.1",
                ApiConfig.PORT.key(), "0",
                ApiConfig.THREADS.key(), Integer.toString(options.serverThreads()),
                ApiConfig.TOKEN.key(), UUID.randomUUID().toString(),
                ModelStore.PATH.key(), dir.resolve("models").toUri().toString(),
                ModelStore.BACKUP_PATH.key(), dir.resolve("models-backup").toUri().toString()));
        IntegrityStore store = new IntegrityStore(dir.resolve("models").toUri(), dir.resolve("models-backup").toUri());
        try (JdbcModelRegistry registry = JdbcModelRegistry.open(settings, (path, sha) -> { })) {
            ModelVersion champion = registerChampion(registry, store, rows, spec);
            ApiServer server = ApiServer.open(settings, null, null, null).start();
            try {
                Path script = dir.resolve("predict.lua");
                Files.writeString(script, luaScript(requestBody(rows, spec)));
                URI predict = URI.create("http://127.0.0.1:" + server.port() + "/predict");
                load(wrk, script, predict, CONNECTIONS[0], WARM_UP); // JIT, connections
                List<Level> levels = new ArrayList<>();
                for (int connections : CONNECTIONS) {
                    levels.add(load(wrk, script, predict, connections, timePerLevel));
                }
                return new Figures(champion.version(), spec.horizon(), champion.metrics().mae(),
                        List.copyOf(levels));
            } finally {
                server.stop();
                FileUtils.deleteDirectory(dir.toFile());
            }
        }
    }

    /** One level: wrk for {@code time} at {@code connections}, the server's CPU time taken meanwhile. */
    private static Level load(Path wrk, Path script, URI predict, int connections, Duration time)
            throws IOException, InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double loadAverage = os.getSystemLoadAverage();
        // bash's times reports the CPU time of its finished children, i.e. wrk's
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", "\"$0\" \"$@\"; rc=$?; times; exit $rc",
                wrk.toString(), "-t" + WRK_THREADS, "-c" + connections, "-d" + time.toSeconds() + "s",
                "--timeout", "10s", "-s", script.toString(), predict.toString()).redirectErrorStream(true);
        builder.environment().put("LC_ALL", "C");
        long cpuBefore = os.getProcessCpuTime();
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        double serverCpu = (os.getProcessCpuTime() - cpuBefore) / 1e9;
        if (exit != 0) {
            throw new IllegalStateException("wrk exited with " + exit + ":\n" + output);
        }
        return Level.parse(connections, output, serverCpu, loadAverage);
    }

    /** wrk's script: every request the same POST; {@code done} prints the figures in one parseable line. */
    static String luaScript(String body) {
        return """
                wrk.method = "POST"
                wrk.body = [==[%s]==]
                wrk.headers["Content-Type"] = "application/json"
                done = function(summary, latency, requests)
                  local e = summary.errors
                  io.write(string.format("imlma-wrk requests=%%d duration_us=%%d errors=%%d mean_us=%%.1f " ..
                      "p50_us=%%.1f p99_us=%%.1f max_us=%%.1f\\n", summary.requests, summary.duration,
                      e.connect + e.read + e.write + e.status + e.timeout, latency.mean, latency:percentile(50),
                      latency:percentile(99), latency.max))
                end
                """.formatted(body);
    }

    private static ModelVersion registerChampion(JdbcModelRegistry registry, IntegrityStore store,
            List<FeatureRow> rows, HorizonSpec spec) throws Exception {
        Windows.Split split = TrainingWindows.build(rows, spec, 1).pooled();
        RidgeForecaster trainer = RidgeForecaster.nlinear();
        Map<String, Double> hyperparameters = trainer.defaults().values();
        HorizonModel model = trainer.create(trainer.defaults(), 1).fit(split.train(), split.validation());
        io.imlma.ml.eval.Metrics test = HorizonEvaluation.of(model, split.test());
        long from = rows.get(0).windowStart();
        long to = rows.get(rows.size() - 1).windowEnd();
        ModelArtifact artifact = new ModelArtifact(ModelArtifact.FORMAT_VERSION, MODEL, trainer.name(),
                hyperparameters, test, 0.0, from, to, System.currentTimeMillis(), model);
        String path = MODEL + "/bench.json";
        String sha256 = store.write(path, artifact.toBytes());
        ModelVersion version = registry.register(new NewVersion(MODEL, "bench", Instant.ofEpochMilli(from),
                Instant.ofEpochMilli(to), null, trainer.name(), new HashMap<>(hyperparameters),
                VersionMetrics.of(test), path, sha256, List.of("benchmark champion")));
        registry.promote(MODEL, version.version(), "benchmark", "benchmark champion");
        return version;
    }

    /** A request for the day after the first L intervals of the data: the L preceding means and the issue time. */
    private static String requestBody(List<FeatureRow> rows, HorizonSpec spec) {
        double[] means = rows.stream().mapToDouble(FeatureRow::mean).toArray();
        int l = spec.inputLength();
        return Json.write(Map.of("meterId", rows.get(l).meterId(), "recent", Arrays.copyOfRange(means, 0, l),
                "issueTime", rows.get(l).windowStart()));
    }

}
