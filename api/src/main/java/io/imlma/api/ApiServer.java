package io.imlma.api;

import io.imlma.common.config.Catalogue;
import io.imlma.common.config.Settings;
import io.imlma.common.integrity.IntegrityStore;
import io.imlma.common.integrity.SnapshotLocation;
import io.imlma.common.json.Json;
import io.imlma.common.kafka.KafkaOptions;
import io.imlma.common.kafka.Predictions;
import io.imlma.ml.eval.ReplacementPolicy;
import io.imlma.ml.horizon.TrainingWindows;
import io.imlma.registry.ArtifactVerificationException;
import io.imlma.registry.ModelRegistry;
import io.imlma.registry.ModelStore;
import io.imlma.registry.NoSuchVersionException;
import io.imlma.registry.RegistryConflictException;
import io.imlma.registry.RegistryException;
import io.imlma.registry.jdbc.JdbcModelRegistry;
import io.imlma.registry.jdbc.RegistryDataSource;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.javalin.util.ConcurrencyUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IMLMA HTTP API and web page: /train, /predict, /evaluate, the model registry (versions, compare, promote,
 * rollback, archive, trials, alarms), /healthz, /metrics, and the page at {@code /}. JSON in and out; errors are
 * {@code {"status": ..., "error": "..."}} with a message saying what is wrong. Calls that change the registry or
 * start work need {@code Authorization: Bearer <api.token>} unless {@code api.auth=off} (demo only).
 *
 * <p>Embedded (the demo) with {@link #open(Settings, RetrainRequester, ChampionAnnouncer)} or the constructor,
 * standalone through {@link #main}; {@link #start()} binds the port, {@link #stop()} releases it (and the registry,
 * if the server opened it).
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final long MAX_REQUEST_BYTES = 8L * 1024 * 1024;

    private final ApiConfig config;
    private final ModelRegistry registry;
    private final AutoCloseable ownedResources;
    private final ApiMetrics metrics = new ApiMetrics();
    private final Javalin app;

    /**
     * A server over an existing registry (not closed by {@link #stop()}); {@code retrainRequester},
     * {@code announcer} and {@code evaluator} may be {@code null}: /train or /evaluate then answer 503, and a
     * promotion or rollback says that no streaming job was told.
     */
    public ApiServer(ApiConfig config, ModelRegistry registry, ModelStore modelStore,
            RetrainRequester retrainRequester, ChampionAnnouncer announcer, IssuedForecasts issued,
            Evaluator evaluator, Clock clock) {
        this(config, registry, modelStore, retrainRequester, announcer, issued, evaluator, clock, null);
    }

    private ApiServer(ApiConfig config, ModelRegistry registry, ModelStore modelStore,
            RetrainRequester retrainRequester, ChampionAnnouncer announcer, IssuedForecasts issued,
            Evaluator evaluator, Clock clock, AutoCloseable ownedResources) {
        this.config = config;
        this.registry = registry;
        this.ownedResources = ownedResources;
        ServedChampions champions =
                new ServedChampions(registry, modelStore, config.championRecheck(), System::nanoTime);
        this.app = Javalin.create(javalin -> {
            javalin.showJavalinBanner = false;
            javalin.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            javalin.http.maxRequestSize = MAX_REQUEST_BYTES;
            javalin.jetty.threadPool = ConcurrencyUtil.jettyThreadPool("JettyServerThreadPool",
                    ApiConfig.MIN_THREADS, config.threads(), false);
            javalin.staticFiles.add(files -> {
                files.hostedPath = "/";
                // not /web: that is where Flink's dashboard lives, which shares the demo's classpath
                files.directory = "/io/imlma/api/web";
                files.location = Location.CLASSPATH;
            });
            javalin.requestLogger.http(metrics::record);
        });
        app.get("/healthz", this::health);
        app.get("/metrics", this::scrape);
        new PredictionRoutes(champions, issued, config.defaultModel(), config.maxBatch(), clock).register(app);
        new JobRoutes(registry, retrainRequester, evaluator, clock).register(app, this::authorized);
        new RegistryRoutes(registry, champions, announcer).register(app, this::authorized);
        registerErrors();
    }

    /**
     * Opens the registry ({@code registry.*} settings) and the model store ({@code model.store.*}) and builds a
     * server over them, evaluating on the committed snapshots when {@code snapshot.*} names them (see
     * {@link SnapshotEvaluator}; without, /evaluate answers 503); the registry is closed on {@link #stop()}.
     */
    public static ApiServer open(Settings settings, RetrainRequester retrainRequester, ChampionAnnouncer announcer,
            IssuedForecasts issued) {
        return open(settings, retrainRequester, announcer, issued, null);
    }

    /**
     * As {@link #open(Settings, RetrainRequester, ChampionAnnouncer, IssuedForecasts)}; {@code alsoOwned}, if any,
     * is closed on stop too.
     */
    private static ApiServer open(Settings settings, RetrainRequester retrainRequester, ChampionAnnouncer announcer,
            IssuedForecasts issued, AutoCloseable alsoOwned) {
        ApiConfig config = ApiConfig.from(settings);
        Clock clock = Clock.systemUTC();
        IntegrityStore store = new IntegrityStore(config.modelStore(), config.modelStoreBackup());
        // the registry checks model files through the model store, whose integrity alarms go back into the registry
        AtomicReference<ModelRegistry> alarmSink = new AtomicReference<>();
        ModelStore modelStore = new ModelStore(store, clock, alarm -> alarmSink.get().recordAlarm(alarm));
        JdbcModelRegistry registry = JdbcModelRegistry.open(settings, modelStore);
        alarmSink.set(registry);
        Evaluator evaluator = SnapshotEvaluator.from(settings, registry, modelStore, clock).orElse(null);
        AutoCloseable owned = alsoOwned == null ? registry : () -> {
            try (registry; alsoOwned) {
                // closes both, alsoOwned first
            }
        };
        return new ApiServer(config, registry, modelStore, retrainRequester, announcer, issued, evaluator, clock,
                owned);
    }

    /**
     * The standalone server: when Kafka is configured, POST /train publishes to the retrain-commands topic,
     * promotions and rollbacks to the model-updates topic ({@link StreamingJobTopics}), and /predict knows the
     * job's latest forecast of each meter from the predictions topic ({@link ForecastsTopicFollower}); both are
     * closed on stop. Otherwise /train answers 503, a change of champion reaches the streaming job only at its
     * next start, and /predict needs the recent values.
     */
    static ApiServer standalone(Settings settings) {
        Optional<StreamingJobTopics> job = StreamingJobTopics.from(settings);
        if (job.isEmpty()) {
            LOG.warn("No {}: POST /train answers 503, promotions and rollbacks reach the streaming job only when it"
                    + " starts again, and /predict needs 'recent'", KafkaOptions.BOOTSTRAP_SERVERS.key());
            return open(settings, null, null, null, null);
        }
        StreamingJobTopics topics = job.get();
        LOG.info("POST /train publishes retrain commands to Kafka topic {}, promotions and rollbacks go to {}",
                topics.commandsTopic(), topics.updatesTopic());
        LatestForecasts forecasts = new LatestForecasts();
        ForecastsTopicFollower follower = ForecastsTopicFollower.start(KafkaOptions.BOOTSTRAP_SERVERS.value(settings),
                Predictions.TOPIC.value(settings), ForecastsTopicFollower.LOOKBACK.value(settings), forecasts);
        return open(settings, topics, topics, forecasts, () -> {
            try (topics; follower) {
                // closes both, the follower first
            }
        });
    }

    public ApiServer start() {
        app.start(config.host(), config.port());
        LOG.info("IMLMA API listening on http://{}:{}/ (auth {})", config.host(), port(),
                config.authRequired() ? "on" : "OFF");
        return this;
    }

    /** The bound port (the chosen one when {@code api.port} is 0). */
    public int port() {
        return app.port();
    }

    public void stop() {
        app.stop();
        if (ownedResources != null) {
            try {
                ownedResources.close();
            } catch (Exception e) {
                LOG.warn("Closing the registry (or the Kafka producer) failed: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void health(Context ctx) {
        try {
            int models = registry.models().size();
            ctx.json(Map.of("status", "ok", "models", models));
        } catch (RegistryException e) {
            ctx.status(503).json(Map.of("status", "unavailable", "error",
                    "the model registry is unreachable: " + e.getMessage()));
        }
    }

    private void scrape(Context ctx) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.write(out);
        ctx.contentType(metrics.contentType()).result(out.toByteArray());
    }

    private Handler authorized(Handler handler) {
        if (!config.authRequired()) {
            return handler;
        }
        byte[] expected = config.token().getBytes(StandardCharsets.UTF_8);
        return ctx -> {
            String header = ctx.header("Authorization");
            if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                ctx.header("WWW-Authenticate", "Bearer");
                throw new ApiException(401, "this call needs an 'Authorization: Bearer <token>' header");
            }
            byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
            if (!MessageDigest.isEqual(given, expected)) {
                ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
                throw new ApiException(401, "the bearer token is not valid");
            }
            handler.handle(ctx);
        };
    }

    private void registerErrors() {
        app.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
        app.exception(NoSuchVersionException.class, (e, ctx) -> error(ctx, 404, e.getMessage()));
        app.exception(RegistryConflictException.class, (e, ctx) -> error(ctx, 409, e.getMessage()));
        app.exception(ArtifactVerificationException.class, (e, ctx) -> error(ctx, 409, e.getMessage()
                + (e.getCause() == null ? "" : ": " + e.getCause().getMessage())));
        app.exception(RegistryException.class, (e, ctx) -> {
            LOG.error("Registry failure on {} {}", ctx.method(), ctx.path(), e);
            error(ctx, 503, "the model registry failed: " + e.getMessage());
        });
        app.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(),
                e.getStatus() == 404 ? "no such endpoint: " + ctx.method() + " " + ctx.path() : e.getMessage()));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("Unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            error(ctx, 500, "internal error: " + e);
        });
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).json(Map.of("status", status, "error", message));
    }

    /**
     * Everything the standalone server reads: its own settings, the registry, the model store, the snapshots and
     * policy it evaluates with, and Kafka for POST /train, promotions and rollbacks and the job's forecasts.
     */
    public static Catalogue settings() {
        return Catalogue.of("ApiServer")
                .with(ApiConfig.OPTIONS)
                .with(ModelStore.OPTIONS).with(RegistryDataSource.OPTIONS)
                .with(SnapshotLocation.OPTIONS).with(TrainingWindows.OPTIONS).with(ReplacementPolicy.OPTIONS)
                .with(StreamingJobTopics.OPTIONS).with(Predictions.OPTIONS).with(ForecastsTopicFollower.OPTIONS);
    }

    /** Standalone ({@link #standalone}): {@code --config imlma.properties} and/or {@code --key value} settings. */
    public static void main(String[] args) {
        Optional<Settings> settings = settings().start(args);
        if (settings.isPresent()) { // else --help
            ApiServer server = standalone(settings.get()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "api-shutdown"));
        }
    }
}
