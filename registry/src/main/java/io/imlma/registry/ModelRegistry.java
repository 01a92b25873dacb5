package io.imlma.registry;

import io.imlma.common.config.Option;
import io.imlma.common.types.Alarm;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Versions of every model, their metrics and lifecycle, the champion of each model, the promotion history, tuning
 * trials and alarms. Unknown models or versions raise {@link NoSuchVersionException}; operations that do not fit
 * a version's state raise {@link RegistryConflictException}.
 */
public interface ModelRegistry extends AutoCloseable {
    /** The model the loop trains (its trigger requests retrainings of it) and the API serves by default. */
    Option<String> MODEL_NAME = Option.string("trigger.model-name").defaultValue("load-forecast")
            .check(m -> m.matches("[A-Za-z0-9._-]+"), "must be a simple name (letters, digits, '.', '_', '-'): it"
                    + " names a directory")
            .description("The model the loop trains (its trigger requests retrainings of it) and the API serves by"
                    + " default.");

    /**
     * Registers a trained model as the next version of its model (created on first use), status
     * {@link VersionStatus#CANDIDATE}, with ΔM against the previous version and against the current champion.
     */
    ModelVersion register(NewVersion version);

    /** Names of all registered models, sorted. */
    List<String> models();

    /** All versions of a model, oldest first; empty for an unknown model. */
    List<ModelVersion> versions(String modelName);

    ModelVersion version(String modelName, int version);

    /** Per-metric ΔM from version {@code a} to version {@code b}. */
    VersionComparison compare(String modelName, int a, int b);

    Optional<ModelVersion> champion(String modelName);

    /** The champion after its artifact passed the SHA-256 check; empty if the model has none. */
    Optional<ModelVersion> championForServing(String modelName);

    /**
     * Makes {@code version} the champion (its artifact checked first); the previous champion is archived. A
     * rejected version cannot be promoted (roll back to it explicitly if an operator insists).
     */
    Promotion promote(String modelName, int version, String by, String reason);

    /** Undoes the last change of champion: the champion before the current one serves again. */
    Promotion rollback(String modelName, String by, String reason);

    /** Makes any non-champion version the champion again (its artifact checked first). */
    Promotion rollbackTo(String modelName, int version, String by, String reason);

    /** Retires a candidate or rejected version; the champion cannot be archived. */
    ModelVersion archive(String modelName, int version, String by, String reason);

    /** Marks a candidate as rejected, with the reason added to its decision reasons. */
    ModelVersion reject(String modelName, int version, String reason);

    /** Changes of champion of a model, oldest first. */
    List<Promotion> promotions(String modelName);

    /** Stores a tuning trial; false if that trial (model, run, trial no.) was stored before. */
    boolean recordTrial(TuningTrial trial);

    /** Trials of a training run, by trial number. */
    List<TuningTrial> trials(String modelName, String trainingRun);

    /** Trials of the training run that produced a version. */
    List<TuningTrial> trialsOf(String modelName, int version);

    /**
     * Records one event of the alarm episode named by its id: the earliest non-clear event is the raise, the latest
     * one the last notification, and a clear ({@link Alarm#clears()}) resolves the episode. Events may come in any
     * order and more than once; the result is the same.
     *
     * @return false if the event changed nothing (it was recorded before, e.g. replayed after a restore)
     */
    boolean recordAlarm(Alarm alarm);

    /** Alarm episodes raised in [from, to), oldest first, at most {@code limit}. */
    List<AlarmEpisode> alarms(Instant from, Instant to, int limit);

    /** Alarm episodes raised in [from, to) that are in {@code status}, oldest first, at most {@code limit}. */
    List<AlarmEpisode> alarms(Instant from, Instant to, AlarmStatus status, int limit);

    @Override
    void close();
}
