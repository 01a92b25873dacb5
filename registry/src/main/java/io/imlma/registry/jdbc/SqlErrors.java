package io.imlma.registry.jdbc;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;

/** What a failed statement means, on the databases the registry runs on: MySQL/MariaDB and H2 in MySQL mode. */
public final class SqlErrors {
    /** The SQL standard's unique violation, which H2 reports for a duplicate primary or unique key. */
    private static final String UNIQUE_VIOLATION = "23505";
    /** MySQL's and MariaDB's SQLState for every integrity violation: duplicates, foreign keys, NOT NULL alike. */
    private static final String MYSQL_INTEGRITY_VIOLATION = "23000";
    private static final int MYSQL_DUPLICATE_ENTRY = 1062;
    private static final int MYSQL_LOCK_WAIT_TIMEOUT = 1205;
    private static final int MYSQL_DEADLOCK = 1213;
    private static final int H2_LOCK_TIMEOUT = 50200;
    private static final int H2_CONCURRENT_UPDATE = 90131;
    /** H2 over TCP: the connection broke, or the server is gone. */
    private static final int H2_CONNECTION_BROKEN = 90067;
    private static final int H2_DATABASE_CLOSED = 90121;

    private SqlErrors() {}

    /**
     * A row with the same primary or unique key exists. SQLState class 23 alone does not tell: it also covers a
     * missing foreign key or a NULL in a NOT NULL column, and on MySQL/MariaDB all of them share SQLState 23000, so
     * there the error code (1062, ER_DUP_ENTRY) decides.
     */
    public static boolean isDuplicateKey(SQLException e) {
        return UNIQUE_VIOLATION.equals(e.getSQLState())
                || (MYSQL_INTEGRITY_VIOLATION.equals(e.getSQLState()) && e.getErrorCode() == MYSQL_DUPLICATE_ENTRY);
    }

    /**
     * The database could not be reached or the connection broke (SQLState class 08, the pool's timeout waiting for a
     * connection, H2's broken connection): whether the statement took effect is unknown, so only a write that is
     * safe to repeat may be run again.
     */
    public static boolean isConnectionLost(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return state.startsWith("08") || e instanceof SQLTransientConnectionException
                || e instanceof SQLNonTransientConnectionException
                || e.getErrorCode() == H2_CONNECTION_BROKEN || e.getErrorCode() == H2_DATABASE_CLOSED;
    }

    /** The transaction was rolled back by a deadlock or a lock-wait timeout: run again, it can succeed. */
    public static boolean isTransient(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        int code = e.getErrorCode();
        return e instanceof SQLTransactionRollbackException || state.startsWith("40")
                || code == MYSQL_DEADLOCK || code == MYSQL_LOCK_WAIT_TIMEOUT
                || code == H2_LOCK_TIMEOUT || code == H2_CONCURRENT_UPDATE;
    }
}
