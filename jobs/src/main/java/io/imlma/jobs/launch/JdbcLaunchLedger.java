package io.imlma.jobs.launch;

import com.fasterxml.jackson.core.type.TypeReference;
import com.zaxxer.hikari.HikariDataSource;
import io.imlma.common.config.Settings;
import io.imlma.common.json.Json;
import io.imlma.jobs.launch.LaunchOutcome.Status;
import io.imlma.registry.RegistryException;
import io.imlma.registry.jdbc.RegistryDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link LaunchLedger} in the registry's database (table {@code retrain_launches}), so launching stays idempotent
 * when the streaming job restarts and replays requests that were in flight. The primary key on the request id
 * decides which of two concurrent claims wins.
 */
public final class JdbcLaunchLedger implements LaunchLedger {
    private static final TypeReference<Map<String, String>> RESULTS = new TypeReference<>() {};

    private static final String UPDATE = "UPDATE retrain_launches SET mode = ?, job_id = ?, status = ?,"
            + " started_at_ms = ?, finished_at_ms = ?, message = ?, results = ? WHERE request_id = ?";

    private final HikariDataSource dataSource;

    private JdbcLaunchLedger(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Opens the registry database named by {@code registry.*} settings (migrating its schema). */
    public static JdbcLaunchLedger open(Settings registrySettings) {
        return new JdbcLaunchLedger(RegistryDataSource.open(registrySettings));
    }

    @Override
    public Optional<LaunchOutcome> claim(LaunchOutcome running) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement("INSERT INTO retrain_launches (request_id, mode, job_id,"
                        + " status, started_at_ms, finished_at_ms, message, results) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, running.requestId());
            bindColumns(insert, 2, running);
            insert.executeUpdate();
            return Optional.empty();
        } catch (SQLException e) {
            if (isDuplicateKey(e)) {
                return Optional.of(find(running.requestId()).orElseThrow(() -> new RegistryException(
                        "launch of " + running.requestId() + " was claimed and is gone again", e)));
            }
            throw new RegistryException("cannot claim the launch of " + running.requestId(), e);
        }
    }

    /** The earlier record is recognised by its request id, status and start time (one claim's start). */
    @Override
    public boolean takeOver(LaunchOutcome interrupted, LaunchOutcome running) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement update = c.prepareStatement(UPDATE + " AND status = ? AND started_at_ms = ?")) {
            bindColumns(update, 1, running);
            update.setString(8, running.requestId());
            update.setString(9, Status.RUNNING.name());
            update.setLong(10, interrupted.startedAt());
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new RegistryException("cannot take over the launch of " + running.requestId(), e);
        }
    }

    @Override
    public void record(LaunchOutcome outcome) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement update = c.prepareStatement(UPDATE)) {
            bindColumns(update, 1, outcome);
            update.setString(8, outcome.requestId());
            if (update.executeUpdate() == 0) {
                claim(outcome);
            }
        } catch (SQLException e) {
            throw new RegistryException("cannot record the launch of " + outcome.requestId(), e);
        }
    }

    @Override
    public Optional<LaunchOutcome> find(String requestId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT request_id, mode, job_id, status, started_at_ms,"
                        + " finished_at_ms, message, results FROM retrain_launches WHERE request_id = ?")) {
            select.setString(1, requestId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new LaunchOutcome(row.getString(1), row.getString(2), row.getString(3),
                        Status.valueOf(row.getString(4)), row.getLong(5), row.getLong(6), row.getString(7),
                        results(row.getString(8))));
            }
        } catch (SQLException e) {
            throw new RegistryException("cannot read the launch of " + requestId, e);
        }
    }

    @Override
    public void close() {
        dataSource.close();
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
        statement.setString(from + 6, Json.write(outcome.results()));
    }

    private static Map<String, String> results(String json) {
        try {
            return Json.MAPPER.readValue(json, RESULTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SQLState class 23 is an integrity-constraint violation on MySQL, MariaDB and H2 alike. */
    private static boolean isDuplicateKey(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("23");
    }
}
