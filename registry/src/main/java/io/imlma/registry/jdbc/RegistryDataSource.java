package io.imlma.registry.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.imlma.common.config.ConfigException;
import io.imlma.common.config.Option;
import io.imlma.common.config.Settings;
import io.imlma.registry.RegistryException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The registry's connection pool, configured from {@link Settings}, with the schema migrated by Flyway.
 *
 * <p>Connectivity is checked at start: an unreachable server, an unknown database, a wrong user or password or a
 * URL no driver accepts fail with a {@link ConfigException} naming the setting to fix. Afterwards HikariCP
 * replaces broken connections by itself, so the registry works again once a restarted database is back: a
 * connection idle for more than half a second is validated ({@code Connection.isValid}, bounded by
 * {@link #VALIDATION_TIMEOUT}) before it is handed out, idle connections are probed every {@link #KEEPALIVE}, and a
 * connection that failed with a connection error is evicted. Waiting for a connection is bounded by
 * {@link #CONNECTION_TIMEOUT}; on MySQL connecting and every socket read are bounded too, so a vanished
 * server produces an error instead of a hung caller.
 */
public final class RegistryDataSource {
    /** The H2 settings the registry's SQL needs: MySQL mode, and names in lower case as MySQL keeps them. */
    private static final String H2_MYSQL_MODE = ";MODE=MySQL;DATABASE_TO_LOWER=TRUE";

    static final Duration VALIDATION_TIMEOUT = Duration.ofSeconds(3);

    /** Embedded default: an H2 file database in MySQL mode, shareable by several local processes. */
    public static final Option<String> JDBC_URL = Option.string("registry.jdbc-url")
            .defaultValue(h2SharedFile(Path.of("./imlma-data/registry")))
            .check(url -> url.startsWith("jdbc:h2:") || url.startsWith("jdbc:mysql:"),
                    "expected a jdbc:mysql: or jdbc:h2: URL")
            .description("The model registry's database: jdbc:mysql:... (MySQL/MariaDB) or jdbc:h2:... (embedded).");
    public static final Option<String> USER = Option.string("registry.user").defaultText("sa on H2, required on MySQL")
            .description("Database user of the registry (from a Secret in Kubernetes).");
    public static final Option<String> PASSWORD = Option.string("registry.password").defaultValue("")
            .defaultText("(empty)").description("Database password of the registry (from a Secret in Kubernetes).");
    public static final Option<Integer> POOL_SIZE = Option.integer("registry.pool-size").defaultValue(8)
            .check(n -> n >= 1, "must be at least 1").description("Connections in the registry's pool.");
    public static final Option<Duration> CONNECTION_TIMEOUT = Option.duration("registry.connection-timeout")
            .defaultValue(Duration.ofSeconds(10))
            .check(d -> d.compareTo(VALIDATION_TIMEOUT) > 0, "must be longer than the validation timeout "
                    + VALIDATION_TIMEOUT)
            .description("How long a caller waits for a registry connection before failing.");
    public static final Option<Duration> OUTAGE_PATIENCE = Option.duration("registry.outage-patience")
            .defaultValue(Duration.ofMinutes(1)).check(d -> !d.isNegative(), "must not be negative")
            .description("How long a write that is safe to repeat (an alarm event, a launch's outcome) keeps retrying"
                    + " while the database cannot be reached, before it fails; 0 fails at once.");
    public static final List<Option<?>> OPTIONS = List.of(JDBC_URL, USER, PASSWORD, POOL_SIZE,
            CONNECTION_TIMEOUT, OUTAGE_PATIENCE);
    static final Duration KEEPALIVE = Duration.ofMinutes(1);
    static final Duration SOCKET_TIMEOUT = Duration.ofMinutes(1);

    private static final int MYSQL_ACCESS_DENIED = 1045;
    private static final int MYSQL_UNKNOWN_DATABASE = 1049;

    private RegistryDataSource() {}

    /** An H2 URL in the registry's mode for {@code location}: {@code mem:name}, {@code file:path}, {@code tcp://...}. */
    public static String h2(String location) {
        return "jdbc:h2:" + location + H2_MYSQL_MODE;
    }

    /** An H2 database in {@code file} (H2 adds {@code .mv.db}) for one process. */
    public static String h2File(Path file) {
        return h2("file:" + file);
    }

    /** An H2 database in {@code file} that several local processes open at once (H2's automatic mixed mode). */
    public static String h2SharedFile(Path file) {
        return h2File(file) + ";AUTO_SERVER=TRUE";
    }

    /** An H2 database in memory, gone with the last connection to it. */
    public static String h2InMemory(String name) {
        return h2("mem:" + name);
    }

    /** Opens the pool and migrates the schema; fails with a {@link ConfigException} if the database is unusable. */
    public static HikariDataSource open(Settings settings) {
        String url = JDBC_URL.value(settings);
        boolean h2 = url.startsWith("jdbc:h2:");
        int poolSize = POOL_SIZE.value(settings);
        Duration connectionTimeout = CONNECTION_TIMEOUT.value(settings);

        HikariConfig config = new HikariConfig();
        config.setPoolName("imlma-registry");
        config.setJdbcUrl(url);
        // the driver by class, not through java.sql.DriverManager: DriverManager refuses a driver registered by
        // another class loader, as Flink's per-job user-code class loaders are when a job is run again in one JVM
        config.setDriverClassName(h2 ? "org.h2.Driver" : "com.mysql.cj.jdbc.Driver");
        config.setUsername(USER.find(settings).orElse(h2 ? "sa" : null));
        config.setPassword(PASSWORD.value(settings));
        config.setMaximumPoolSize(poolSize);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        config.setValidationTimeout(VALIDATION_TIMEOUT.toMillis());
        config.setKeepaliveTime(KEEPALIVE.toMillis());
        // row locks on the model row serialize promotions; READ COMMITTED avoids InnoDB gap locks on other rows
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        if (!h2) {
            config.addDataSourceProperty("connectTimeout", String.valueOf(connectionTimeout.toMillis()));
            config.addDataSourceProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT.toMillis()));
            config.addDataSourceProperty("tcpKeepAlive", "true");
        }
        if (!h2) {
            Settings.require(config.getUsername() != null, USER.key(), "required for " + url);
        }

        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw startupFailure(url, config.getUsername(), e);
        }
        try {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        } catch (FlywayException e) {
            dataSource.close();
            throw new RegistryException("Migrating the registry schema at " + url + " failed: " + e.getMessage(), e);
        }
        return dataSource;
    }

    private static ConfigException startupFailure(String url, String user, RuntimeException failure) {
        SQLException sql = sqlCause(failure);
        if (sql == null) {
            return withCause(new ConfigException(JDBC_URL.key(),
                    "cannot open a connection to " + url + ": " + failure.getMessage()), failure);
        }
        String state = sql.getSQLState() == null ? "" : sql.getSQLState();
        if (state.equals("28000") || sql.getErrorCode() == MYSQL_ACCESS_DENIED) {
            return withCause(new ConfigException(PASSWORD.key(), "access denied for user '" + user + "' at " + url
                    + " (check " + USER.key() + " and " + PASSWORD.key() + "): " + sql.getMessage()), failure);
        }
        if (sql.getErrorCode() == MYSQL_UNKNOWN_DATABASE) {
            return withCause(new ConfigException(JDBC_URL.key(),
                    "the database named in " + url + " does not exist: " + sql.getMessage()), failure);
        }
        if (state.startsWith("08")) {
            return withCause(new ConfigException(JDBC_URL.key(), "cannot connect to " + url
                    + " (is the database server running and reachable?): " + sql.getMessage()), failure);
        }
        return withCause(new ConfigException(JDBC_URL.key(), "cannot use " + url + ": " + sql.getMessage()), failure);
    }

    private static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    private static ConfigException withCause(ConfigException e, Throwable cause) {
        e.initCause(cause);
        return e;
    }
}
