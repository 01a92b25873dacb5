package io.imlma.api;

import io.imlma.common.config.ConfigException;
import io.imlma.common.config.Settings;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * Settings of the API server.
 *
 * @param host             address to bind ({@code api.host}, default 127.0.0.1, this machine only; 0.0.0.0 for all
 *                         interfaces, which needs a token unless {@code api.allow-open-access=true})
 * @param port             port ({@code api.port}, default 7070; 0 picks a free one)
 * @param token            bearer token of mutating calls ({@code api.token}), {@code null} when auth is off
 * @param defaultModel     model served by /predict when a request names none ({@code trigger.model-name})
 * @param championRecheck  how long a looked-up champion is trusted before the registry is asked again
 *                         ({@code api.champion-recheck}); changes made through this API apply at once
 * @param maxBatch         most requests in one batch prediction ({@code api.predict.max-batch})
 * @param threads          most threads of the HTTP server's pool ({@code api.threads}, default 250, Javalin's)
 * @param modelStore       primary base of model files ({@code model.store.path})
 * @param modelStoreBackup backup base of model files ({@code model.store.backup-path})
 */
public record ApiConfig(String host, int port, String token, String defaultModel, Duration championRecheck,
        int maxBatch, int threads, URI modelStore, URI modelStoreBackup) {

    public static final String HOST = "api.host";
    public static final String PORT = "api.port";
    public static final String AUTH = "api.auth";
    public static final String ALLOW_OPEN_ACCESS = "api.allow-open-access";
    public static final String TOKEN = "api.token";
    public static final String DEFAULT_MODEL = "trigger.model-name";
    public static final String CHAMPION_RECHECK = "api.champion-recheck";
    public static final String MAX_BATCH = "api.predict.max-batch";
    public static final String THREADS = "api.threads";
    /** Jetty's acceptor, selector and reserved threads need some of the pool besides the request handlers. */
    static final int MIN_THREADS = 8;
    public static final String MODEL_STORE = "model.store.path";
    public static final String MODEL_STORE_BACKUP = "model.store.backup-path";

    public static final int DEFAULT_PORT = 7070;

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new ConfigException(HOST, "unknown host '" + host + "'");
        }
    }

    public boolean authRequired() {
        return token != null;
    }

    public static ApiConfig from(Settings settings) {
        int port = settings.integer(PORT, DEFAULT_PORT);
        Settings.require(port >= 0 && port <= 65_535, PORT, "must be a TCP port (0..65535), got " + port);
        String auth = settings.string(AUTH, "on");
        Settings.require(auth.equals("on") || auth.equals("off"), AUTH, "expected on or off, got '" + auth + "'");
        String token = null;
        if (auth.equals("on")) {
            Settings.require(settings.has(TOKEN), TOKEN,
                    "required while " + AUTH + "=on (set a secret token, or " + AUTH + "=off only for the demo)");
            token = settings.string(TOKEN);
            Settings.require(token.length() >= 16, TOKEN, "must be at least 16 characters long");
        }
        Duration recheck = settings.duration(CHAMPION_RECHECK, Duration.ofSeconds(1));
        Settings.require(!recheck.isNegative(), CHAMPION_RECHECK, "must not be negative, got " + recheck);
        int maxBatch = settings.integer(MAX_BATCH, 1_000);
        Settings.require(maxBatch >= 1, MAX_BATCH, "must be at least 1, got " + maxBatch);
        int threads = settings.integer(THREADS, 250);
        Settings.require(threads >= MIN_THREADS, THREADS, "must be at least " + MIN_THREADS + ", got " + threads);
        URI store = settings.uri(MODEL_STORE);
        URI backup = settings.uri(MODEL_STORE_BACKUP);
        Settings.require(!store.normalize().equals(backup.normalize()), MODEL_STORE_BACKUP,
                "must differ from " + MODEL_STORE + " (" + store + "): the backup is the second copy");
        String host = settings.string(HOST, "127.0.0.1");
        // without a token anyone who reaches the port can promote, roll back and retrain: only this machine may
        Settings.require(token != null || isLoopback(host) || settings.bool(ALLOW_OPEN_ACCESS, false), HOST,
                "is " + host + ", reachable from other machines, while " + AUTH + "=off: anyone who can reach it could"
                        + " change the champion; bind 127.0.0.1, set " + AUTH + "=on with " + TOKEN + ", or set "
                        + ALLOW_OPEN_ACCESS + "=true if that is really meant");
        return new ApiConfig(host, port, token,
                settings.string(DEFAULT_MODEL, "load-forecast"), recheck, maxBatch, threads, store,
                backup);
    }

}
