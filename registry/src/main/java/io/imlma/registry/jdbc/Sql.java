package io.imlma.registry.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.imlma.common.json.Json;
import io.imlma.registry.RegistryException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * Statements on the registry's database and its column conventions: times are BIGINT epoch milliseconds, JSON
 * documents are TEXT written and read by the application's mapper, absent numbers are SQL NULL.
 */
public final class Sql {
    /** A JSON object column, read with its keys in stored order. */
    public static final TypeReference<LinkedHashMap<String, Object>> JSON_OBJECT = new TypeReference<>() {};

    private Sql() {}

    /** Binds a statement's parameters. */
    @FunctionalInterface
    public interface Parameters {
        void bind(PreparedStatement s) throws SQLException;
    }

    /** Reads the current row of a result. */
    @FunctionalInterface
    public interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Parameters bound in order: an {@link Instant} as epoch milliseconds, any other value as the driver maps it. */
    public static Parameters values(Object... values) {
        return s -> {
            for (int i = 0; i < values.length; i++) {
                if (values[i] instanceof Instant instant) {
                    setInstant(s, i + 1, instant);
                } else {
                    s.setObject(i + 1, values[i]);
                }
            }
        };
    }

    /** The rows {@code sql} selects, in result order. */
    public static <T> List<T> query(Connection c, String sql, Parameters parameters, Row<T> row) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            parameters.bind(s);
            try (ResultSet rs = s.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(row.read(rs));
                }
                return rows;
            }
        }
    }

    /** The first row {@code sql} selects, if any. */
    public static <T> Optional<T> queryFirst(Connection c, String sql, Parameters parameters, Row<T> row)
            throws SQLException {
        return query(c, sql, parameters, row).stream().findFirst();
    }

    /** Runs an INSERT, UPDATE or DELETE; returns the number of rows it changed. */
    public static int update(Connection c, String sql, Parameters parameters) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            parameters.bind(s);
            return s.executeUpdate();
        }
    }

    /** Runs an INSERT; false, with nothing changed, when a row with the same key is there already. */
    public static boolean insertUnlessPresent(Connection c, String sql, Parameters parameters) throws SQLException {
        try {
            update(c, sql, parameters);
            return true;
        } catch (SQLException e) {
            if (SqlErrors.isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    /** Times are stored in milliseconds; truncating first makes what is returned equal what is stored. */
    public static Instant millis(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS);
    }

    public static void setInstant(PreparedStatement s, int index, Instant instant) throws SQLException {
        if (instant == null) {
            s.setNull(index, Types.BIGINT);
        } else {
            s.setLong(index, instant.toEpochMilli());
        }
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        Long millis = rs.getObject(column, Long.class);
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    public static void setInteger(PreparedStatement s, int index, Integer value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.INTEGER);
        } else {
            s.setInt(index, value);
        }
    }

    public static void setLong(PreparedStatement s, int index, Long value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.BIGINT);
        } else {
            s.setLong(index, value);
        }
    }

    public static void setDouble(PreparedStatement s, int index, Double value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.DOUBLE);
        } else {
            s.setDouble(index, value);
        }
    }

    public static String toJson(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serializable as JSON: " + value, e);
        }
    }

    public static <T> T fromJson(String json, TypeReference<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new RegistryException("stored JSON is unreadable: " + json, e);
        }
    }
}
