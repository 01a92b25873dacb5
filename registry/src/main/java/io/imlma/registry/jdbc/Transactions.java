package io.imlma.registry.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.imlma.common.config.Settings;
import io.imlma.registry.RegistryException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections and transactions on the registry's database, for every table in it (the registry's stores and the
 * launch ledger). A failure surfaces as a {@link RegistryException} that says what could not be done. Transactions
 * that hit a deadlock or a lock-wait timeout ({@link SqlErrors#isTransient}) run again after a short random pause.
 */
public final class Transactions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);
    private static final int MAX_ATTEMPTS = 20;

    private final DataSource dataSource;

    /** Over {@code dataSource}, its schema already migrated; {@link #close()} closes it if it is a pool. */
    public Transactions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Opens the pool from the {@code registry.*} settings (see {@link RegistryDataSource}) and migrates the schema. */
    public static Transactions open(Settings settings) {
        return new Transactions(RegistryDataSource.open(settings));
    }

    /** Work on one connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} as one transaction, committed when it returns and rolled back when it throws; run again
     * when it failed transiently. {@code what} completes the error's "Could not ...".
     */
    public <T> T inTransaction(String what, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return onConnection(c -> {
                    c.setAutoCommit(false);
                    try {
                        T result = work.run(c);
                        c.commit();
                        return result;
                    } catch (SQLException | RuntimeException e) {
                        rollbackQuietly(c, e);
                        throw e;
                    }
                });
            } catch (SQLException e) {
                if (attempt < MAX_ATTEMPTS && SqlErrors.isTransient(e)) {
                    LOG.debug("retrying '{}' after attempt {}: {}", what, attempt, e.getMessage());
                    backOff(attempt);
                    continue;
                }
                throw failure(what, e);
            }
        }
    }

    /** Runs {@code work} once on one connection in auto-commit mode: each statement commits by itself. */
    public <T> T withConnection(String what, Work<T> work) {
        try {
            return onConnection(work);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    @Override
    public void close() {
        if (dataSource instanceof HikariDataSource pool) {
            pool.close();
        }
    }

    private <T> T onConnection(Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try {
                return work.run(c);
            } catch (SQLException e) {
                evictIfBroken(c);
                throw e;
            }
        }
    }

    /**
     * HikariCP evicts connections that fail with SQLState 08xxx, but not every driver reports a lost server that
     * way (H2 over TCP says 90121), and a connection reused within half a second is not validated on borrowing: a
     * connection that failed and no longer passes {@code isValid} is evicted here so the next call opens a new one.
     */
    private void evictIfBroken(Connection c) {
        if (dataSource instanceof HikariDataSource pool) {
            try {
                if (!c.isValid((int) RegistryDataSource.VALIDATION_TIMEOUT.toSeconds())) {
                    pool.evictConnection(c);
                }
            } catch (SQLException e) {
                pool.evictConnection(c);
            }
        }
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void backOff(int attempt) {
        try {
            // random, growing pause so that transactions which deadlocked do not collide again in lockstep
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 10L * Math.min(attempt, 10) + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while retrying a registry transaction", e);
        }
    }

    private static RegistryException failure(String what, SQLException e) {
        return new RegistryException("Could not " + what + ": " + e.getMessage(), e);
    }
}
