package io.imlma.jobs.launch;

import com.fasterxml.jackson.core.type.TypeReference;
import io.imlma.common.config.Settings;
import io.imlma.jobs.launch.LaunchOutcome.Status;
import io.imlma.registry.RegistryException;
import io.imlma.registry.jdbc.Sql;
import io.imlma.registry.jdbc.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link LaunchLedger} in the registry's database (table {@code retrain_launches}), so launching stays idempotent
 * when the streaming job restarts and replays requests that were in flight. The primary key on the request id
 * decides which of two concurrent claims wins.
 */
public final class JdbcLaunchLedger implements LaunchLedger {
    private static final TypeReference<Map<String, String>> RESULTS = new TypeReference<>() {};

    private static final String INSERT = "INSERT INTO retrain_launches (request_id, mode, job_id, status,"
            + " started_at_ms, finished_at_ms, message, results) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE = "UPDATE retrain_launches SET mode = ?, job_id = ?, status = ?,"
            + " started_at_ms = ?, finished_at_ms = ?, message = ?, results = ? WHERE request_id = ?";

    private static final String SELECT = "SELECT request_id, mode, job_id, status, started_at_ms, finished_at_ms,"
            + " message, results FROM retrain_launches";

    private final Transactions transactions;

    private JdbcLaunchLedger(Transactions transactions) {
        this.transactions = transactions;
    }

    /** Opens the registry database named by {@code registry.*} settings (migrating its schema). */
    public static JdbcLaunchLedger open(Settings registrySettings) {
        return new JdbcLaunchLedger(Transactions.open(registrySettings));
    }

    @Override
    public Optional<LaunchOutcome> claim(LaunchOutcome running) {
        return transactions.inTransaction("claim the launch of " + running.requestId(), c -> claim(c, running));
    }

    /** The earlier record is recognised by its request id, status and start time (one claim's start). */
    @Override
    public boolean takeOver(LaunchOutcome interrupted, LaunchOutcome running) {
        return transactions.inTransaction("take over the launch of " + running.requestId(),
                c -> Sql.update(c, UPDATE + " AND status = ? AND started_at_ms = ?", s -> {
                    bindUpdate(s, running);
                    s.setString(9, Status.RUNNING.name());
                    s.setLong(10, interrupted.startedAt());
                }) == 1);
    }

    @Override
    public void record(LaunchOutcome outcome) {
        // an update by request id (or the claim of a missing record): recorded twice it is recorded once
        transactions.inIdempotentTransaction("record the launch of " + outcome.requestId(), c -> {
            if (Sql.update(c, UPDATE, s -> bindUpdate(s, outcome)) == 0) {
                claim(c, outcome);
            }
            return null;
        });
    }

    @Override
    public Optional<LaunchOutcome> find(String requestId) {
        return transactions.withConnection("read the launch of " + requestId, c -> find(c, requestId));
    }

    /** Every recorded launch, oldest first: what an operator's console lists and what a clean stop closes. */
    public List<LaunchOutcome> launches() {
        return transactions.withConnection("read the launches", c -> Sql.query(c, SELECT + " ORDER BY started_at_ms",
                Sql.values(), JdbcLaunchLedger::outcome));
    }

    @Override
    public void close() {
        transactions.close();
    }

    private static Optional<LaunchOutcome> claim(Connection c, LaunchOutcome running) throws SQLException {
        boolean claimed = Sql.insertUnlessPresent(c, INSERT, s -> {
            s.setString(1, running.requestId());
            bindColumns(s, 2, running);
        });
        if (claimed) {
            return Optional.empty();
        }
        return Optional.of(find(c, running.requestId()).orElseThrow(() -> new RegistryException(
                "launch of " + running.requestId() + " was claimed and is gone again")));
    }

    private static Optional<LaunchOutcome> find(Connection c, String requestId) throws SQLException {
        return Sql.queryFirst(c, SELECT + " WHERE request_id = ?", Sql.values(requestId), JdbcLaunchLedger::outcome);
    }

    private static LaunchOutcome outcome(ResultSet row) throws SQLException {
        return new LaunchOutcome(row.getString(1), row.getString(2), row.getString(3),
                Status.valueOf(row.getString(4)), row.getLong(5), row.getLong(6), row.getString(7),
                Sql.fromJson(row.getString(8), RESULTS));
    }

    /** Binds the columns of {@link #UPDATE}, the request id last. */
    private static void bindUpdate(PreparedStatement statement, LaunchOutcome outcome) throws SQLException {
        bindColumns(statement, 1, outcome);
        statement.setString(8, outcome.requestId());
    }

    /** Binds mode, job_id, status, started_at_ms, finished_at_ms, message, results from parameter {@code from} on. */
    private static void bindColumns(PreparedStatement statement, int from, LaunchOutcome outcome)
            throws SQLException {
        statement.setString(from, outcome.mode());
        statement.setString(from + 1, outcome.jobId());
        statement.setString(from + 2, outcome.status().name());
        statement.setLong(from + 3, outcome.startedAt());
        statement.setLong(from + 4, outcome.finishedAt());
        statement.setString(from + 5, outcome.message());
        statement.setString(from + 6, Sql.toJson(outcome.results()));
    }
}
