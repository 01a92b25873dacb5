package io.imlma.registry.jdbc;

import io.imlma.registry.Promotion;
import io.imlma.registry.PromotionKind;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Rows of {@code promotions}, the history of champion changes: a {@link Promotion} bound to an insert and read back. */
final class PromotionRows {
    static final String COLUMNS = "id, model_name, from_version, to_version, kind, promoted_at_ms, promoted_by, reason";
    /** Every column but the generated id. */
    static final String INSERT = "INSERT INTO promotions (model_name, from_version, to_version, kind, promoted_at_ms,"
            + " promoted_by, reason) VALUES (?, ?, ?, ?, ?, ?, ?)";

    private PromotionRows() {}

    /** Binds every column of {@link #INSERT}; the promotion's id is the database's to choose. */
    static void bind(PreparedStatement s, Promotion p) throws SQLException {
        s.setString(1, p.modelName());
        Sql.setInteger(s, 2, p.fromVersion());
        s.setInt(3, p.toVersion());
        s.setString(4, p.kind().name());
        Sql.setInstant(s, 5, p.at());
        s.setString(6, p.by());
        s.setString(7, p.reason());
    }

    static Promotion read(ResultSet rs) throws SQLException {
        return new Promotion(rs.getLong(1), rs.getString(2), rs.getObject(3, Integer.class), rs.getInt(4),
                PromotionKind.valueOf(rs.getString(5)), Instant.ofEpochMilli(rs.getLong(6)), rs.getString(7),
                rs.getString(8));
    }
}
