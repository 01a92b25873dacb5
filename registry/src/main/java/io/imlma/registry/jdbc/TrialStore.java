package io.imlma.registry.jdbc;

import io.imlma.registry.TuningTrial;
import java.time.Clock;
import java.util.List;

/** Tuning trials (table {@code tuning_trials}), one row per model, training run and trial number. */
final class TrialStore {
    private static final String INSERT = "INSERT INTO tuning_trials (" + TrialRows.COLUMNS + ", recorded_at_ms)"
            + " VALUES (" + "?, ".repeat(TrialRows.COLUMN_COUNT) + "?)";

    private final Transactions transactions;
    private final Clock clock;

    TrialStore(Transactions transactions, Clock clock) {
        this.transactions = transactions;
        this.clock = clock;
    }

    /** False if that trial was stored before. */
    boolean record(TuningTrial t) {
        return transactions.withConnection("record trial " + t.trialNo() + " of run " + t.trainingRun(),
                c -> Sql.insertUnlessPresent(c, INSERT, s -> {
                    TrialRows.bind(s, t);
                    Sql.setInstant(s, TrialRows.COLUMN_COUNT + 1, Sql.millis(clock.instant()));
                }));
    }

    /** The trials of a training run, by trial number. */
    List<TuningTrial> ofRun(String modelName, String trainingRun) {
        return transactions.withConnection("list trials of run " + trainingRun, c -> Sql.query(c, "SELECT "
                + TrialRows.COLUMNS + " FROM tuning_trials WHERE model_name = ? AND training_run = ? ORDER BY trial_no",
                Sql.values(modelName, trainingRun), TrialRows::read));
    }
}
