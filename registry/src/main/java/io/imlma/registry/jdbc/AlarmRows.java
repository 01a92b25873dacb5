package io.imlma.registry.jdbc;

import io.imlma.common.types.AlarmType;
import io.imlma.common.types.Severity;
import io.imlma.registry.AlarmEpisode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Rows of {@code alarms}, one per alarm episode: an {@link AlarmEpisode} bound to a statement and read back. */
final class AlarmRows {
    static final String COLUMNS = "alarm_id, alarm_type, severity, meter_id, model_version,"
            + " measured_value, threshold_value, raised_at_ms, message, last_notified_at_ms, last_value, cleared_at_ms,"
            + " resolution";
    /** The columns after the id, as {@link #bindFields} binds them. */
    static final String FIELDS_SET = "alarm_type = ?, severity = ?, meter_id = ?, model_version = ?,"
            + " measured_value = ?, threshold_value = ?, raised_at_ms = ?, message = ?, last_notified_at_ms = ?,"
            + " last_value = ?, cleared_at_ms = ?, resolution = ?";
    /** The number of columns {@link #bindFields} binds. */
    static final int FIELD_COUNT = 12;

    private AlarmRows() {}

    /** Binds every column after the id, in {@link #COLUMNS} order, to parameters {@code first} on. */
    static void bindFields(PreparedStatement s, int first, AlarmEpisode a) throws SQLException {
        s.setString(first, a.type().name());
        s.setString(first + 1, a.severity().name());
        s.setString(first + 2, a.meterId());
        s.setInt(first + 3, a.modelVersion());
        s.setDouble(first + 4, a.value());
        s.setDouble(first + 5, a.threshold());
        s.setLong(first + 6, a.time());
        s.setString(first + 7, a.message());
        Sql.setLong(s, first + 8, a.lastNotifiedAt());
        Sql.setDouble(s, first + 9, a.lastValue());
        Sql.setLong(s, first + 10, a.clearedAt());
        s.setString(first + 11, a.resolution());
    }

    static AlarmEpisode read(ResultSet rs) throws SQLException {
        return new AlarmEpisode(rs.getString(1), AlarmType.valueOf(rs.getString(2)),
                Severity.valueOf(rs.getString(3)), rs.getString(4), rs.getInt(5), rs.getDouble(6),
                rs.getDouble(7), rs.getLong(8), rs.getString(9), rs.getObject(10, Long.class),
                rs.getObject(11, Double.class), rs.getObject(12, Long.class), rs.getString(13));
    }
}
