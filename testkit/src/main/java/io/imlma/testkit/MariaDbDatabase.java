package io.imlma.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh, randomly named database on the machine's MariaDB/MySQL server (127.0.0.1:3306, root, empty password;
 * {@code .ci/run} installs and starts it), dropped again on {@link #close()}. The server address can be changed
 * with the system properties {@code imlma.mariadb.host}, {@code imlma.mariadb.port}, {@code imlma.mariadb.user}
 * and {@code imlma.mariadb.password}. An unreachable server is an error, not a skipped test.
 */
public final class MariaDbDatabase implements AutoCloseable {
    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final String name;

    private MariaDbDatabase(String host, int port, String user, String password, String name) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.name = name;
    }

    /** Creates a new database with a random name ({@code imlma_test_…}). */
    public static MariaDbDatabase create() {
        String host = System.getProperty("imlma.mariadb.host", "127.0.0.1");
        int port = Integer.getInteger("imlma.mariadb.port", 3306);
        String user = System.getProperty("imlma.mariadb.user", "root");
        String password = System.getProperty("imlma.mariadb.password", "");
        String name = "imlma_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        MariaDbDatabase db = new MariaDbDatabase(host, port, user, password, name);
        db.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        return db;
    }

    /** JDBC URL of this database for mysql-connector-j. */
    public String jdbcUrl() {
        return serverUrl() + name;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public String name() {
        return name;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        execute("DROP DATABASE IF EXISTS " + name);
    }

    private String serverUrl() {
        return "jdbc:mysql://" + host + ":" + port + "/";
    }

    private void execute(String sql) {
        try (Connection c = DriverManager.getConnection(serverUrl() + "?connectTimeout=5000", user, password);
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("MariaDB/MySQL is not usable at " + host + ":" + port + " as user '" + user
                    + "' (" + e.getMessage() + "). Start it first: .ci/run installs and starts it, or run"
                    + " 'service mariadb start' (tests need root with an empty password over TCP).", e);
        }
    }
}
