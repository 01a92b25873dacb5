package io.imlma.registry.jdbc;

import io.imlma.common.types.Alarm;
import io.imlma.registry.AlarmEpisode;
import io.imlma.registry.AlarmStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Alarm episodes (table {@code alarms}), one row per alarm id: each event of an episode is folded into its row
 * ({@link AlarmEpisode#with}) under the row's lock, so events in any order, replayed or from parallel writers, give
 * the same row.
 */
final class AlarmStore {
    private static final String INSERT = "INSERT INTO alarms (" + AlarmRows.COLUMNS + ", recorded_at_ms) VALUES (?, "
            + "?, ".repeat(AlarmRows.FIELD_COUNT) + "?)";
    private static final String UPDATE = "UPDATE alarms SET " + AlarmRows.FIELDS_SET + " WHERE alarm_id = ?";

    private final Transactions transactions;
    private final Clock clock;

    AlarmStore(Transactions transactions, Clock clock) {
        this.transactions = transactions;
        this.clock = clock;
    }

    /** False if the event changed nothing (it was recorded before). */
    boolean record(Alarm a) {
        if (!Double.isFinite(a.value()) || !Double.isFinite(a.threshold())) {
            throw new IllegalArgumentException("alarm " + a.alarmId() + " has a non-finite value or threshold");
        }
        // a merge: recorded twice it is recorded once
        return transactions.inIdempotentTransaction("record alarm " + a.alarmId(), c -> {
            Optional<AlarmEpisode> stored = Sql.queryFirst(c,
                    "SELECT " + AlarmRows.COLUMNS + " FROM alarms WHERE alarm_id = ? FOR UPDATE",
                    Sql.values(a.alarmId()), AlarmRows::read);
            if (stored.isEmpty()) {
                insert(c, AlarmEpisode.of(a));
                return true;
            }
            AlarmEpisode next = stored.get().with(a);
            if (next.equals(stored.get())) {
                return false;
            }
            Sql.update(c, UPDATE, s -> {
                AlarmRows.bindFields(s, 1, next);
                s.setString(AlarmRows.FIELD_COUNT + 1, next.alarmId());
            });
            return true;
        });
    }

    /** Episodes raised in [from, to), oldest first, at most {@code limit}. */
    List<AlarmEpisode> raisedBetween(Instant from, Instant to, int limit) {
        return raisedBetween(from, to, "", limit);
    }

    /** Episodes raised in [from, to) that are in {@code status}, oldest first, at most {@code limit}. */
    List<AlarmEpisode> raisedBetween(Instant from, Instant to, AlarmStatus status, int limit) {
        return raisedBetween(from, to, status == AlarmStatus.ACTIVE ? " AND cleared_at_ms IS NULL"
                : " AND cleared_at_ms IS NOT NULL", limit);
    }

    private List<AlarmEpisode> raisedBetween(Instant from, Instant to, String statusCondition, int limit) {
        return transactions.withConnection("list alarms", c -> Sql.query(c, "SELECT " + AlarmRows.COLUMNS
                + " FROM alarms WHERE raised_at_ms >= ? AND raised_at_ms < ?" + statusCondition
                + " ORDER BY raised_at_ms, alarm_id LIMIT ?", Sql.values(from, to, limit), AlarmRows::read));
    }

    private void insert(Connection c, AlarmEpisode a) throws SQLException {
        boolean inserted = Sql.insertUnlessPresent(c, INSERT, s -> {
            s.setString(1, a.alarmId());
            AlarmRows.bindFields(s, 2, a);
            Sql.setInstant(s, AlarmRows.FIELD_COUNT + 2, Sql.millis(clock.instant()));
        });
        if (!inserted) {
            // another writer recorded the id's first event meanwhile: start over and lock its row
            throw new SQLTransactionRollbackException("alarm " + a.alarmId() + " was recorded concurrently", "40001");
        }
    }
}
