package io.imlma.api;

import io.imlma.common.config.ConfigException;
import io.imlma.common.config.Option;
import io.imlma.common.config.Settings;
import io.imlma.common.integrity.IntegrityStore;
import io.imlma.registry.ModelRegistry;
import io.imlma.registry.ModelStore;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

/**
 * Settings of the API server: {@link #OPTIONS} (listed in docs/settings.md), the default model
 * ({@link ModelRegistry#MODEL_NAME}) and the model store ({@link ModelStore#location}).
 *
 * @param token            bearer token of mutating calls, {@code null} when auth is off
 * @param modelStore       primary base of model files
 * @param modelStoreBackup backup base of model files
 * @param threads          most threads of the HTTP server's pool
 */
public record ApiConfig(String host, int port, String token, String defaultModel, Duration championRecheck,
        int maxBatch, int threads, URI modelStore, URI modelStoreBackup) {

    public static final Option<String> HOST = Option.string("api.host").defaultValue("127.0.0.1")
            .description("Address to bind: 127.0.0.1 is this machine only; 0.0.0.0 all interfaces, which needs a token"
                    + " unless api.allow-open-access=true.");
    public static final Option<Integer> PORT = Option.integer("api.port").defaultValue(7070)
            .check(p -> p >= 0 && p <= 65_535, "must be a TCP port (0..65535)")
            .description("Port of the API and the web page; 0 picks a free one.");
    public static final Option<String> AUTH = Option.string("api.auth").defaultValue("on")
            .check(a -> a.equals("on") || a.equals("off"), "expected on or off")
            .description("on: mutating calls need the bearer token api.token; off only for the demo.");
    public static final Option<Boolean> ALLOW_OPEN_ACCESS = Option.bool("api.allow-open-access").defaultValue(false)
            .description("Allow api.auth=off on an address other machines can reach (anyone could change the"
                    + " champion).");
    public static final Option<String> TOKEN = Option.string("api.token")
            .check(t -> t.length() >= 16, "must be at least 16 characters long")
            .defaultText("(required while api.auth=on)")
            .description("The bearer token of mutating calls (a secret).");
    public static final Option<Duration> CHAMPION_RECHECK = Option.duration("api.champion-recheck")
            .defaultValue(Duration.ofSeconds(1)).check(d -> !d.isNegative(), "must not be negative")
            .description("How long a looked-up champion is trusted before the registry is asked again; changes made"
                    + " through this API apply at once.");
    public static final Option<Integer> MAX_BATCH = Option.integer("api.predict.max-batch").defaultValue(1_000)
            .check(n -> n >= 1, "must be at least 1").description("Most requests in one batch prediction.");
    /** Jetty's acceptor, selector and reserved threads need some of the pool besides the request handlers. */
    static final int MIN_THREADS = 8;
    public static final Option<Integer> THREADS = Option.integer("api.threads").defaultValue(250)
            .check(n -> n >= MIN_THREADS, "must be at least " + MIN_THREADS)
            .description("Most threads of the HTTP server's pool (Javalin's default).");
    public static final List<Option<?>> OPTIONS = List.of(HOST, PORT, AUTH, ALLOW_OPEN_ACCESS, TOKEN,
            CHAMPION_RECHECK, MAX_BATCH, THREADS, ModelRegistry.MODEL_NAME);

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new ConfigException(HOST.key(), "unknown host '" + host + "'");
        }
    }

    public boolean authRequired() {
        return token != null;
    }

    public static ApiConfig from(Settings settings) {
        int port = PORT.value(settings);
        String token = null;
        if (AUTH.value(settings).equals("on")) {
            Settings.require(settings.has(TOKEN.key()), TOKEN.key(), "required while " + AUTH.key()
                    + "=on (set a secret token, or " + AUTH.key() + "=off only for the demo)");
            token = TOKEN.value(settings);
        }
        Duration recheck = CHAMPION_RECHECK.value(settings);
        int maxBatch = MAX_BATCH.value(settings);
        int threads = THREADS.value(settings);
        IntegrityStore store = ModelStore.location(settings);
        String host = HOST.value(settings);
        // without a token anyone who reaches the port can promote, roll back and retrain: only this machine may
        Settings.require(token != null || isLoopback(host) || ALLOW_OPEN_ACCESS.value(settings), HOST.key(),
                "is " + host + ", reachable from other machines, while " + AUTH.key() + "=off: anyone who can reach"
                        + " it could change the champion; bind 127.0.0.1, set " + AUTH.key() + "=on with "
                        + TOKEN.key() + ", or set " + ALLOW_OPEN_ACCESS.key() + "=true if that is really meant");
        return new ApiConfig(host, port, token, ModelRegistry.MODEL_NAME.value(settings), recheck, maxBatch,
                threads, store.primaryBase(), store.backupBase());
    }

}
