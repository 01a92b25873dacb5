package io.imlma.registry.jdbc;

import io.imlma.common.config.Settings;
import io.imlma.common.types.Alarm;
import io.imlma.registry.AlarmEpisode;
import io.imlma.registry.AlarmStatus;
import io.imlma.registry.ArtifactVerifier;
import io.imlma.registry.ModelRegistry;
import io.imlma.registry.ModelVersion;
import io.imlma.registry.NewVersion;
import io.imlma.registry.Promotion;
import io.imlma.registry.TuningTrial;
import io.imlma.registry.VersionComparison;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link ModelRegistry} on MySQL/MariaDB or H2 (MySQL mode) through JDBC; the same SQL runs on both. Its three
 * stores share one pool: versions and champions ({@link VersionStore}), alarm episodes ({@link AlarmStore}) and
 * tuning trials ({@link TrialStore}).
 */
public final class JdbcModelRegistry implements ModelRegistry {
    private final Transactions transactions;
    private final VersionStore versions;
    private final AlarmStore alarms;
    private final TrialStore trials;

    /**
     * A registry over {@code dataSource} (schema already migrated); it closes the pool on {@link #close()}.
     *
     * @param outagePatience how long writes that are safe to repeat wait out a database that cannot be reached
     */
    public JdbcModelRegistry(DataSource dataSource, Duration outagePatience, ArtifactVerifier verifier, Clock clock) {
        this(new Transactions(dataSource, outagePatience), verifier, clock);
    }

    private JdbcModelRegistry(Transactions transactions, ArtifactVerifier verifier, Clock clock) {
        this.transactions = transactions;
        this.versions = new VersionStore(transactions, verifier, clock);
        this.alarms = new AlarmStore(transactions, clock);
        this.trials = new TrialStore(transactions, clock);
    }

    /** Opens the pool from the {@code registry.*} settings (see {@link RegistryDataSource}) and migrates the schema. */
    public static JdbcModelRegistry open(Settings settings, ArtifactVerifier verifier) {
        return new JdbcModelRegistry(Transactions.open(settings), verifier, Clock.systemUTC());
    }

    @Override
    public ModelVersion register(NewVersion version) {
        return versions.register(version);
    }

    @Override
    public List<String> models() {
        return versions.models();
    }

    @Override
    public List<ModelVersion> versions(String modelName) {
        return versions.versions(modelName);
    }

    @Override
    public ModelVersion version(String modelName, int version) {
        return versions.version(modelName, version);
    }

    @Override
    public VersionComparison compare(String modelName, int a, int b) {
        return versions.compare(modelName, a, b);
    }

    @Override
    public Optional<ModelVersion> champion(String modelName) {
        return versions.champion(modelName);
    }

    @Override
    public Optional<ModelVersion> championForServing(String modelName) {
        return versions.championForServing(modelName);
    }

    @Override
    public Promotion promote(String modelName, int version, String by, String reason) {
        return versions.promote(modelName, version, by, reason);
    }

    @Override
    public Promotion rollback(String modelName, String by, String reason) {
        return versions.rollback(modelName, by, reason);
    }

    @Override
    public Promotion rollbackTo(String modelName, int version, String by, String reason) {
        return versions.rollbackTo(modelName, version, by, reason);
    }

    @Override
    public ModelVersion archive(String modelName, int version, String by, String reason) {
        return versions.archive(modelName, version, by, reason);
    }

    @Override
    public ModelVersion reject(String modelName, int version, String reason) {
        return versions.reject(modelName, version, reason);
    }

    @Override
    public List<Promotion> promotions(String modelName) {
        return versions.promotions(modelName);
    }

    @Override
    public boolean recordTrial(TuningTrial trial) {
        return trials.record(trial);
    }

    @Override
    public List<TuningTrial> trials(String modelName, String trainingRun) {
        return trials.ofRun(modelName, trainingRun);
    }

    @Override
    public List<TuningTrial> trialsOf(String modelName, int version) {
        String run = versions.version(modelName, version).trainingRun();
        return run == null ? List.of() : trials.ofRun(modelName, run);
    }

    @Override
    public boolean recordAlarm(Alarm alarm) {
        return alarms.record(alarm);
    }

    @Override
    public List<AlarmEpisode> alarms(Instant from, Instant to, int limit) {
        return alarms.raisedBetween(from, to, limit);
    }

    @Override
    public List<AlarmEpisode> alarms(Instant from, Instant to, AlarmStatus status, int limit) {
        return alarms.raisedBetween(from, to, status, limit);
    }

    @Override
    public void close() {
        transactions.close();
    }
}
