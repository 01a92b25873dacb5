package io.imlma.registry.jdbc;

import com.fasterxml.jackson.core.type.TypeReference;
import io.imlma.registry.MetricDeltas;
import io.imlma.registry.VersionMetrics;
import io.imlma.registry.ModelVersion;
import io.imlma.registry.TestRows;
import io.imlma.registry.VersionStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** Rows of {@code model_versions}: a {@link ModelVersion} bound to an insert and read back. */
final class VersionRows {
    static final String COLUMNS = "model_name, version, created_at_ms, training_run, data_from_ms,"
            + " data_to_ms, snapshot_id, trainer, hyperparameters, mse, mae, r2, previous_version, delta_prev_mse,"
            + " delta_prev_mae, delta_prev_r2, champion_at_registration, delta_champion_mse, delta_champion_mae,"
            + " delta_champion_r2, artifact_path, artifact_sha256, status, status_changed_at_ms, decision_reasons,"
            + " test_first_target_ms, test_last_target_ms, test_rows, champion_mse, champion_mae, champion_r2";
    static final String INSERT = "INSERT INTO model_versions (" + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final TypeReference<List<String>> JSON_STRINGS = new TypeReference<>() {};

    private VersionRows() {}

    /** Binds every column of {@link #INSERT}. */
    static void bind(PreparedStatement s, ModelVersion v) throws SQLException {
        MetricDeltas prev = v.deltaVsPrevious();
        MetricDeltas champ = v.deltaVsChampion();
        s.setString(1, v.modelName());
        s.setInt(2, v.version());
        Sql.setInstant(s, 3, v.createdAt());
        s.setString(4, v.trainingRun());
        Sql.setInstant(s, 5, v.dataFrom());
        Sql.setInstant(s, 6, v.dataTo());
        s.setString(7, v.snapshotId());
        s.setString(8, v.trainer());
        s.setString(9, Sql.toJson(v.hyperparameters()));
        s.setDouble(10, v.metrics().mse());
        s.setDouble(11, v.metrics().mae());
        s.setDouble(12, v.metrics().r2());
        Sql.setInteger(s, 13, prev == null ? null : prev.baseVersion());
        Sql.setDouble(s, 14, prev == null ? null : prev.mse());
        Sql.setDouble(s, 15, prev == null ? null : prev.mae());
        Sql.setDouble(s, 16, prev == null ? null : prev.r2());
        Sql.setInteger(s, 17, v.championAtRegistration());
        Sql.setDouble(s, 18, champ == null ? null : champ.mse());
        Sql.setDouble(s, 19, champ == null ? null : champ.mae());
        Sql.setDouble(s, 20, champ == null ? null : champ.r2());
        s.setString(21, v.artifactPath());
        s.setString(22, v.artifactSha256());
        s.setString(23, v.status().name());
        Sql.setInstant(s, 24, v.statusChangedAt());
        s.setString(25, Sql.toJson(v.decisionReasons()));
        TestRows rows = v.testRows();
        Sql.setInstant(s, 26, rows == null ? null : rows.firstTarget());
        Sql.setInstant(s, 27, rows == null ? null : rows.lastTarget());
        Sql.setInteger(s, 28, rows == null ? null : rows.count());
        VersionMetrics championMetrics = v.championMetrics();
        Sql.setDouble(s, 29, championMetrics == null ? null : championMetrics.mse());
        Sql.setDouble(s, 30, championMetrics == null ? null : championMetrics.mae());
        Sql.setDouble(s, 31, championMetrics == null ? null : championMetrics.r2());
    }

    static ModelVersion read(ResultSet rs) throws SQLException {
        VersionMetrics metrics = new VersionMetrics(rs.getDouble("mse"), rs.getDouble("mae"), rs.getDouble("r2"));
        Long firstTarget = rs.getObject("test_first_target_ms", Long.class);
        TestRows testRows = firstTarget == null ? null : new TestRows(Instant.ofEpochMilli(firstTarget),
                Sql.instant(rs, "test_last_target_ms"), rs.getInt("test_rows"));
        Double championMse = rs.getObject("champion_mse", Double.class);
        VersionMetrics championMetrics = championMse == null ? null
                : new VersionMetrics(championMse, rs.getDouble("champion_mae"), rs.getDouble("champion_r2"));
        return new ModelVersion(rs.getString("model_name"), rs.getInt("version"),
                Sql.instant(rs, "created_at_ms"), rs.getString("training_run"), Sql.instant(rs, "data_from_ms"),
                Sql.instant(rs, "data_to_ms"), rs.getString("snapshot_id"), rs.getString("trainer"),
                Sql.fromJson(rs.getString("hyperparameters"), Sql.JSON_OBJECT), metrics,
                deltas(rs, "previous_version", "delta_prev_"),
                // ΔM against the champion exists only where both were measured on this version's test rows
                championMetrics == null ? null : deltas(rs, "champion_at_registration", "delta_champion_"),
                rs.getString("artifact_path"), rs.getString("artifact_sha256"),
                VersionStatus.valueOf(rs.getString("status")), Sql.instant(rs, "status_changed_at_ms"),
                Sql.fromJson(rs.getString("decision_reasons"), JSON_STRINGS), testRows,
                rs.getObject("champion_at_registration", Integer.class), championMetrics);
    }

    private static MetricDeltas deltas(ResultSet rs, String baseColumn, String prefix) throws SQLException {
        Integer base = rs.getObject(baseColumn, Integer.class);
        return base == null ? null : new MetricDeltas(base, rs.getObject(prefix + "mse", Double.class),
                rs.getObject(prefix + "mae", Double.class), rs.getObject(prefix + "r2", Double.class));
    }
}
