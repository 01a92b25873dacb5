package io.imlma.registry.jdbc;

import io.imlma.registry.TuningTrial;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Rows of {@code tuning_trials}: a {@link TuningTrial} bound to an insert and read back. */
final class TrialRows {
    static final String COLUMNS = "model_name, training_run, trial_no, tuner, parameters,"
            + " validation_mse, validation_mae, duration_ms, seed";
    /** The number of columns {@link #bind} binds. */
    static final int COLUMN_COUNT = 9;

    private TrialRows() {}

    /** Binds every column, in {@link #COLUMNS} order, to parameters 1 to {@link #COLUMN_COUNT}. */
    static void bind(PreparedStatement s, TuningTrial t) throws SQLException {
        s.setString(1, t.modelName());
        s.setString(2, t.trainingRun());
        s.setInt(3, t.trialNo());
        s.setString(4, t.tuner());
        s.setString(5, Sql.toJson(t.parameters()));
        s.setDouble(6, t.validationMse());
        s.setDouble(7, t.validationMae());
        s.setLong(8, t.durationMs());
        s.setLong(9, t.seed());
    }

    static TuningTrial read(ResultSet rs) throws SQLException {
        return new TuningTrial(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                Sql.fromJson(rs.getString(5), Sql.JSON_OBJECT), rs.getDouble(6), rs.getDouble(7), rs.getLong(8),
                rs.getLong(9));
    }
}
