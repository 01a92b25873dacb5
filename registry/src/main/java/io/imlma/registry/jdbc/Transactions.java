package io.imlma.registry.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.imlma.common.config.Settings;
import io.imlma.registry.RegistryException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections and transactions on the registry's database, for every table in it (the registry's stores and the
 * launch ledger). A failure surfaces as a {@link RegistryException} that says what could not be done. Transactions
 * that hit a deadlock or a lock-wait timeout ({@link SqlErrors#isTransient}) run again after a short random pause.
 * Writes that are safe to repeat ({@link #inIdempotentTransaction}) also wait out a database that cannot be reached,
 * for up to the outage patience ({@link RegistryDataSource#OUTAGE_PATIENCE}), so that a restart of the database
 * server does not fail the job that writes them.
 */
public final class Transactions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);
    private static final int MAX_ATTEMPTS = 20;

    /** Pause between attempts while the database cannot be reached. */
    private static final Duration OUTAGE_RETRY_PAUSE = Duration.ofMillis(500);

    private final DataSource dataSource;
    private final Duration outagePatience;

    /**
     * Over {@code dataSource}, its schema already migrated; {@link #close()} closes it if it is a pool.
     *
     * @param outagePatience how long {@link #inIdempotentTransaction} retries while the database cannot be reached
     */
    public Transactions(DataSource dataSource, Duration outagePatience) {
        this.dataSource = dataSource;
        this.outagePatience = outagePatience;
    }

    /** Opens the pool from the {@code registry.*} settings (see {@link RegistryDataSource}) and migrates the schema. */
    public static Transactions open(Settings settings) {
        return new Transactions(RegistryDataSource.open(settings), RegistryDataSource.OUTAGE_PATIENCE.value(settings));
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
        return inTransaction(what, work, Duration.ZERO);
    }

    /**
     * As {@link #inTransaction}, for work whose second run changes nothing the first one made (a merge, an update by
     * key): it also runs again while the database cannot be reached ({@link SqlErrors#isConnectionLost}), every
     * half second, until the outage patience is used up.
     */
    public <T> T inIdempotentTransaction(String what, Work<T> work) {
        return inTransaction(what, work, outagePatience);
    }

    private <T> T inTransaction(String what, Work<T> work, Duration patience) {
        long giveUpAt = System.nanoTime() + patience.toNanos();
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
                if (SqlErrors.isConnectionLost(e) && System.nanoTime() < giveUpAt) {
                    LOG.warn("Could not {} (attempt {}): the registry's database cannot be reached ({}); retrying",
                            what, attempt, e.getMessage());
                    pause(OUTAGE_RETRY_PAUSE.toMillis());
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
        // random, growing pause so that transactions which deadlocked do not collide again in lockstep
        pause(ThreadLocalRandom.current().nextLong(1, 10L * Math.min(attempt, 10) + 1));
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while retrying a registry transaction", e);
        }
    }

    private static RegistryException failure(String what, SQLException e) {
        return new RegistryException("Could not " + what + ": " + e.getMessage(), e);
    }
}
