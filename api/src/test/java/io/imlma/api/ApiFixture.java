package io.imlma.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.imlma.common.config.Settings;
import io.imlma.common.integrity.IntegrityStore;
import io.imlma.common.integrity.IntegrityVerifier;
import io.imlma.common.integrity.SealedSnapshot;
import io.imlma.common.integrity.SnapshotLocation;
import io.imlma.common.json.Json;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.ModelUpdate;
import io.imlma.common.types.RetrainCommand;
import io.imlma.ml.horizon.HorizonEvaluation;
import io.imlma.ml.horizon.HorizonModel;
import io.imlma.ml.horizon.HorizonSpec;
import io.imlma.ml.horizon.ModelArtifact;
import io.imlma.ml.horizon.RidgeForecaster;
import io.imlma.ml.horizon.TrainingWindows;
import io.imlma.ml.horizon.Windows;
import io.imlma.ml.model.Hyperparameters;
import io.imlma.registry.ModelStore;
import io.imlma.registry.ModelVersion;
import io.imlma.registry.NewVersion;
import io.imlma.registry.TestRows;
import io.imlma.registry.TuningTrial;
import io.imlma.registry.VersionMetrics;
import io.imlma.registry.jdbc.JdbcModelRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hipparchus.random.Well19937c;

/**
 * A running API server over a real registry and a real model store, with multi-horizon models (4 steps from 4
 * intervals) trained in closed form on a synthetic meter; the ridge penalty {@code l2} sets how good one is. The
 * fixture's own registry connection plays the retraining job: it writes model files with {@link IntegrityStore},
 * registers versions, records trials and alarms, and can change the champion behind the server's back.
 */
final class ApiFixture implements AutoCloseable {
    static final String MODEL = "load-forecast";
    static final String TOKEN = "test-token-0123456789abcdef";
    static final HorizonSpec SPEC = new HorizonSpec(4, 4, true, ZoneOffset.UTC);
    static final int MIN_WINDOWS = 100;
    static final long START = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    static final long INTERVAL = 900_000L;
    static final int ROWS = 800;

    final List<FeatureRow> rows = syntheticMeter(ROWS, 11);
    final IntegrityStore store;
    final JdbcModelRegistry registry;
    final ApiServer server;
    final List<RetrainCommand> retrainRequests = new CopyOnWriteArrayList<>();
    /** The champions announced to the streaming job (with jobs only). */
    final List<ModelUpdate> announced = new CopyOnWriteArrayList<>();
    /** The streaming job's forecasts the server knows (with jobs only). */
    final LatestForecasts issued = new LatestForecasts();
    final Map<Integer, ModelArtifact> artifacts = new ConcurrentHashMap<>();
    /** The server's settings without the snapshot ones. */
    final Map<String, String> serverSettings;
    private final HttpClient http = HttpClient.newHttpClient();

    /**
     * @param database registry settings of a fresh database
     * @param withJobs whether the server gets a retraining requester and, over a snapshot of {@link #rows}, an
     *                 evaluator
     */
    ApiFixture(Settings database, Path dir, boolean withJobs) {
        store = new IntegrityStore(dir.resolve("models").toUri(), dir.resolve("models-backup").toUri());
        IntegrityVerifier verifier = new IntegrityVerifier(store, Clock.systemUTC());
        registry = JdbcModelRegistry.open(database, verifier::verifyFile);
        Map<String, String> settings = new HashMap<>(database.asMap());
        settings.put(ApiConfig.HOST.key(), "127.0.0.1");
        settings.put(ApiConfig.PORT.key(), "0");
        settings.put(ApiConfig.TOKEN.key(), TOKEN);
        settings.put(ApiConfig.CHAMPION_RECHECK.key(), "100ms");
        settings.put(ModelStore.PATH.key(), store.primaryBase().toString());
        settings.put(ModelStore.BACKUP_PATH.key(), store.backupBase().toString());
        serverSettings = Map.copyOf(settings);
        if (withJobs) {
            settings.putAll(snapshotOf(rows, dir));
        }
        server = ApiServer.open(new Settings(settings), withJobs ? retrainRequests::add : null,
                withJobs ? announced::add : null, withJobs ? issued : null).start();
    }

    /**
     * Writes rows as a committed, backed-up daily snapshot, as the streaming job would, for the server's
     * evaluator; returns the settings naming it.
     */
    private static Map<String, String> snapshotOf(List<FeatureRow> rows, Path dir) {
        IntegrityStore snapshots = new IntegrityStore(dir.resolve("snapshots").toUri(),
                dir.resolve("snapshots-backup").toUri());
        try {
            SealedSnapshot.write(snapshots, rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(SnapshotLocation.PATH.key(), snapshots.primaryBase().toString(),
                SnapshotLocation.BACKUP_PATH.key(), snapshots.backupBase().toString(),
                TrainingWindows.MIN_WINDOWS.key(), Integer.toString(MIN_WINDOWS));
    }

    /**
     * Trains the Linear member of the linear family with the given ridge penalty ({@code l2}), writes its file and registers it as a candidate, with
     * the current champion (if any) scored on its test rows, as a retraining registers it.
     */
    ModelVersion registerTrained(String run, Map<String, Double> hyperparameters, long seed) {
        return register(run, hyperparameters, seed, true);
    }

    /** As {@link #registerTrained}, but without the champion's metrics: a version registered before they were kept. */
    ModelVersion registerUncompared(String run, Map<String, Double> hyperparameters, long seed) {
        return register(run, hyperparameters, seed, false);
    }

    private ModelVersion register(String run, Map<String, Double> hyperparameters, long seed, boolean compared) {
        Windows.Split split = windows();
        RidgeForecaster trainer = RidgeForecaster.linear();
        HorizonModel model = trainer.create(Hyperparameters.of(hyperparameters), seed)
                .fit(split.train(), split.validation());
        io.imlma.ml.eval.Metrics test = HorizonEvaluation.of(model, split.test());
        ModelArtifact artifact = new ModelArtifact(ModelArtifact.FORMAT_VERSION, MODEL, trainer.name(),
                hyperparameters, test, 0.0, START, START + ROWS * INTERVAL, System.currentTimeMillis(), model);
        String path = MODEL + "/" + run + ".json";
        String sha256;
        try {
            sha256 = store.write(path, artifact.toBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Optional<ModelVersion> champion = compared ? registry.champion(MODEL) : Optional.empty();
        VersionMetrics championMetrics = champion.map(c -> VersionMetrics.of(HorizonEvaluation.of(
                artifacts.get(c.version()).model(), split.test()))).orElse(null);
        ModelVersion version = registry.register(new NewVersion(MODEL, run, Instant.ofEpochMilli(START),
                Instant.ofEpochMilli(START + ROWS * INTERVAL), "snapshot-" + run, trainer.name(),
                new HashMap<>(hyperparameters), VersionMetrics.of(test), path, sha256,
                List.of("trained by the test fixture"), compared ? TestRows.of(split.test()) : null,
                champion.map(ModelVersion::version).orElse(null), championMetrics));
        artifacts.put(version.version(), artifact);
        return version;
    }

    void recordTrials(String run, int count) {
        for (int i = 1; i <= count; i++) {
            registry.recordTrial(new TuningTrial(MODEL, run, i, "bayesian", Map.of("learningRate", 0.01 * i),
                    1.0 / i, 0.5 / i, 10L * i, 7));
        }
    }

    /** The windows a retraining over all {@link #rows} trains, validates and tests on. */
    Windows.Split windows() {
        return TrainingWindows.build(rows, SPEC, MIN_WINDOWS).pooled();
    }

    /** The last L means before row {@code index}, oldest first. */
    double[] recentBefore(int index) {
        double[] recent = new double[SPEC.inputLength()];
        for (int i = 0; i < recent.length; i++) {
            recent[i] = rows.get(index - SPEC.inputLength() + i).mean();
        }
        return recent;
    }

    long windowStart(int index) {
        return rows.get(index).windowStart();
    }

    // --- HTTP ---

    record Response(int status, String text, JsonNode json, HttpResponse<String> raw) {}

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /** POST with the right token. */
    Response post(String path, String body) {
        return post(path, body, TOKEN);
    }

    /** POST with {@code token} ({@code null}: no Authorization header). */
    Response post(String path, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            if (response.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
                json = Json.MAPPER.readTree(response.body());
            }
            return new Response(response.statusCode(), response.body(), json, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
        registry.close();
    }

    /** A meter with a daily cycle, a weekly swing and noise, in consecutive 15-minute intervals. */
    static List<FeatureRow> syntheticMeter(int count, long seed) {
        Well19937c random = new Well19937c(seed);
        List<FeatureRow> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long start = START + i * INTERVAL;
            double mean = 50 + 10 * Math.sin(2 * Math.PI * i / 96.0) + 3 * Math.sin(2 * Math.PI * i / 672.0)
                    + random.nextGaussian();
            rows.add(new FeatureRow("meter-1", start, start + INTERVAL, mean, mean, mean, 15, 0, false, false, start));
        }
        return rows;
    }
}
