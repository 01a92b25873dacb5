package io.imlma.bench.serving;

import io.imlma.api.ApiConfig;
import io.imlma.api.ApiServer;
import io.imlma.bench.cli.Arguments;
import io.imlma.common.config.Settings;
import io.imlma.common.integrity.IntegrityStore;
import io.imlma.common.json.Json;
import io.imlma.common.types.FeatureRow;
import io.imlma.ml.data.BundledData;
import io.imlma.ml.data.Dataset;
import io.imlma.ml.data.EttCsv;
import io.imlma.ml.data.FeatureBuilder;
import io.imlma.ml.data.FeatureSpec;
import io.imlma.ml.model.Hyperparameters;
import io.imlma.ml.model.LinearRegression;
import io.imlma.ml.model.Model;
import io.imlma.ml.model.ModelArtifact;
import io.imlma.registry.ModelStore;
import io.imlma.registry.VersionMetrics;
import io.imlma.registry.ModelVersion;
import io.imlma.registry.NewVersion;
import io.imlma.registry.jdbc.JdbcModelRegistry;
import io.imlma.registry.jdbc.RegistryDataSource;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Latency of POST /predict under load: starts the API on a loopback port over an H2 registry whose champion is a
 * linear model trained on ETTm1 (96 lags + calendar features, as served in production), then drives it with 50,
 * 100, 200 and 500 concurrent clients, each sending its next request as soon as the previous one is answered.
 * Every level is bounded by a request count and a time limit. Measures mean, p50, p99 and max latency and
 * requests/s per level.
 */
public final class PredictBenchmark {
    public static final String COMMAND = "bench-predict";
    private static final int[] CONCURRENCY = {50, 100, 200, 500};
    private static final String MODEL = "load-forecast";

    public record Options(int requestsPerLevel, int secondsPerLevel) {
        public Options {
            Settings.require(requestsPerLevel >= 1, "requests-per-level", "must be at least 1");
            Settings.require(secondsPerLevel >= 1, "seconds-per-level", "must be at least 1");
        }

        public static Options from(Arguments a) {
            return new Options(a.integer("requests-per-level", 20_000, "requests per concurrency level, at most"),
                    a.integer("seconds-per-level", 30, "seconds per concurrency level, at most"));
        }
    }

    /** The champion served and the latency at each concurrency level, in the order run. */
    public record Figures(int championVersion, int features, double championTestMae, List<Level> levels) {
        public void printTo(PrintStream out) {
            out.printf("champion %s v%d: linear, %d features, test MAE %.4f%n", MODEL, championVersion, features,
                    championTestMae);
            out.printf("%-8s %9s %9s %9s %9s %9s %10s %7s%n", "clients", "requests", "mean ms", "p50 ms", "p99 ms",
                    "max ms", "req/s", "errors");
            for (Level level : levels) {
                out.printf("%-8d %9d %9.2f %9.2f %9.2f %9.2f %10.0f %7d%n", level.clients(), level.requests(),
                        level.meanMs(), level.p50Ms(), level.p99Ms(), level.maxMs(), level.requestsPerSecond(),
                        level.errors());
            }
        }
    }

    /** One concurrency level: latencies of the requests answered (errors included), in milliseconds. */
    public record Level(int clients, int requests, double meanMs, double p50Ms, double p99Ms, double maxMs,
                        double requestsPerSecond, int errors) {
        static Level of(int clients, long[] sortedNanos, long elapsedNanos, int errors) {
            return new Level(clients, sortedNanos.length,
                    Arrays.stream(sortedNanos).average().orElse(Double.NaN) / 1e6,
                    percentileMs(sortedNanos, 50), percentileMs(sortedNanos, 99), percentileMs(sortedNanos, 100),
                    sortedNanos.length / (elapsedNanos / 1e9), errors);
        }

        private static double percentileMs(long[] sortedNanos, int p) {
            if (sortedNanos.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(p / 100.0 * sortedNanos.length) - 1;
            return sortedNanos[Math.max(0, Math.min(index, sortedNanos.length - 1))] / 1e6;
        }
    }

    private PredictBenchmark() {}

    public static void main(String[] args) throws Exception {
        Arguments.run(args, COMMAND, "Latency of POST /predict on a loopback API over an H2 registry with a linear "
                + "ETTm1 champion, at " + Arrays.toString(CONCURRENCY) + " closed-loop concurrent clients.",
                Options::from, options -> run(options).printTo(System.out));
    }

    public static Figures run(Options options) throws Exception {
        int requestsPerLevel = options.requestsPerLevel();
        Duration timePerLevel = Duration.ofSeconds(options.secondsPerLevel());
        Path dir = Files.createTempDirectory("predict-benchmark");

        List<FeatureRow> rows = EttCsv.read(BundledData.ettm1(), "OT", 0, 6_000);
        FeatureSpec spec = FeatureSpec.defaults();
        Settings settings = new Settings(Map.of(
                RegistryDataSource.JDBC_URL.key(), RegistryDataSource.h2InMemory("bench-" + UUID.randomUUID()),
                ApiConfig.HOST.key(), "127.0.0.1",
                ApiConfig.PORT.key(), "0",
                ApiConfig.TOKEN.key(), UUID.randomUUID().toString(),
                ModelStore.PATH.key(), dir.resolve("models").toUri().toString(),
                ModelStore.BACKUP_PATH.key(), dir.resolve("models-backup").toUri().toString()));
        IntegrityStore store = new IntegrityStore(dir.resolve("models").toUri(), dir.resolve("models-backup").toUri());
        try (JdbcModelRegistry registry = JdbcModelRegistry.open(settings, (path, sha) -> { })) {
            ModelVersion champion = registerChampion(registry, store, rows, spec);
            ApiServer server = ApiServer.open(settings, null).start();
            try {
                List<String> bodies = requestBodies(rows, spec);
                URI predict = URI.create("http://127.0.0.1:" + server.port() + "/predict");
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                load(http, predict, bodies, 50, 5_000, timePerLevel); // warm-up: JIT, connections
                List<Level> levels = new ArrayList<>();
                for (int clients : CONCURRENCY) {
                    levels.add(load(http, predict, bodies, clients, requestsPerLevel, timePerLevel));
                }
                return new Figures(champion.version(), spec.featureNames().size(), champion.metrics().mae(),
                        List.copyOf(levels));
            } finally {
                server.stop();
            }
        }
    }

    private static ModelVersion registerChampion(JdbcModelRegistry registry, IntegrityStore store,
            List<FeatureRow> rows, FeatureSpec spec) throws Exception {
        Dataset.Split split = new FeatureBuilder(spec).build(rows).split();
        LinearRegression trainer = new LinearRegression();
        Map<String, Double> hyperparameters = Map.of("learningRate", 0.01, "epochs", 30.0);
        Model model = trainer.create(Hyperparameters.of(hyperparameters), 1).fit(split.train(), split.validation());
        io.imlma.ml.eval.Metrics test = io.imlma.ml.eval.Metrics.of(split.test().targets(),
                model.predictAll(split.test().features()));
        long from = rows.get(0).windowStart();
        long to = rows.get(rows.size() - 1).windowEnd();
        ModelArtifact artifact = new ModelArtifact(ModelArtifact.FORMAT_VERSION, MODEL, trainer.name(), spec,
                hyperparameters, test, 0.0, from, to, System.currentTimeMillis(), model);
        String path = MODEL + "/bench.json";
        String sha256 = store.write(path, artifact.toBytes());
        ModelVersion version = registry.register(new NewVersion(MODEL, "bench", Instant.ofEpochMilli(from),
                Instant.ofEpochMilli(to), null, trainer.name(), new HashMap<>(hyperparameters),
                VersionMetrics.of(test), path, sha256, List.of("benchmark champion")));
        registry.promote(MODEL, version.version(), "benchmark", "benchmark champion");
        return version;
    }

    /** One request per window of the data: the 96 preceding means and the window's start. */
    private static List<String> requestBodies(List<FeatureRow> rows, FeatureSpec spec) {
        double[] means = rows.stream().mapToDouble(FeatureRow::mean).toArray();
        int lags = spec.lags();
        return java.util.stream.IntStream.range(lags, Math.min(rows.size(), lags + 1_000))
                .mapToObj(i -> Json.write(Map.of(
                        "meterId", rows.get(i).meterId(),
                        "recent", Arrays.copyOfRange(means, i - lags, i),
                        "targetTime", rows.get(i).windowStart())))
                .toList();
    }

    private static Level load(HttpClient http, URI predict, List<String> bodies, int clients, int maxRequests,
            Duration maxTime) throws InterruptedException {
        long[] latencies = new long[maxRequests];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        long deadline = System.nanoTime() + maxTime.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            pool.execute(() -> {
                for (int i = next.getAndIncrement(); i < maxRequests && System.nanoTime() < deadline;
                        i = next.getAndIncrement()) {
                    HttpRequest request = HttpRequest.newBuilder(predict)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i % bodies.size())))
                            .build();
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    latencies[i] = System.nanoTime() - sent;
                }
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(maxTime.toSeconds() + 60, TimeUnit.SECONDS)) {
            pool.shutdownNow();
        }
        long elapsed = System.nanoTime() - start;
        int done = Math.min(next.get(), maxRequests);
        long[] measured = Arrays.stream(latencies, 0, done).filter(l -> l > 0).sorted().toArray();
        return Level.of(clients, measured, elapsed, errors.get());
    }
}
