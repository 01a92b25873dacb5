package io.imlma.registry.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.zaxxer.hikari.HikariDataSource;
import io.imlma.common.config.Settings;
import io.imlma.common.json.Json;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.Severity;
import io.imlma.registry.AlarmEpisode;
import io.imlma.registry.AlarmStatus;
import io.imlma.registry.ArtifactVerificationException;
import io.imlma.registry.ArtifactVerifier;
import io.imlma.registry.MetricDeltas;
import io.imlma.registry.Metrics;
import io.imlma.registry.ModelRegistry;
import io.imlma.registry.ModelVersion;
import io.imlma.registry.NewVersion;
import io.imlma.registry.NoSuchVersionException;
import io.imlma.registry.Promotion;
import io.imlma.registry.PromotionKind;
import io.imlma.registry.RegistryConflictException;
import io.imlma.registry.RegistryException;
import io.imlma.registry.TuningTrial;
import io.imlma.registry.VersionComparison;
import io.imlma.registry.VersionStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ModelRegistry} on MySQL/MariaDB or H2 (MySQL mode) through JDBC; the same SQL runs on both.
 *
 * <p>Every change to a model's versions or champion runs in one transaction that first locks the model's row
 * ({@code SELECT ... FOR UPDATE}), so changes to one model are serialized and the promotion history is written in
 * the order the changes happened. Deadlocks and lock-wait timeouts are retried with a short random backoff. The
 * schema itself admits at most one champion per model (a unique index on {@code champion_of}), so no code path,
 * raw SQL included, can create a second one.
 */
public final class JdbcModelRegistry implements ModelRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcModelRegistry.class);

    private static final int MAX_ATTEMPTS = 20;
    private static final int MYSQL_DUPLICATE_KEY = 1062;
    private static final int MYSQL_LOCK_WAIT_TIMEOUT = 1205;
    private static final int MYSQL_DEADLOCK = 1213;
    private static final int H2_DUPLICATE_KEY = 23505;
    private static final int H2_LOCK_TIMEOUT = 50200;
    private static final int H2_CONCURRENT_UPDATE = 90131;

    private static final TypeReference<LinkedHashMap<String, Object>> JSON_OBJECT = new TypeReference<>() {};
    private static final TypeReference<List<String>> JSON_STRINGS = new TypeReference<>() {};

    private static final String VERSION_COLUMNS = "model_name, version, created_at_ms, training_run, data_from_ms,"
            + " data_to_ms, snapshot_id, trainer, hyperparameters, mse, mae, r2, previous_version, delta_prev_mse,"
            + " delta_prev_mae, delta_prev_r2, champion_at_registration, delta_champion_mse, delta_champion_mae,"
            + " delta_champion_r2, artifact_path, artifact_sha256, status, status_changed_at_ms, decision_reasons";
    private static final String PROMOTION_COLUMNS =
            "id, model_name, from_version, to_version, kind, promoted_at_ms, promoted_by, reason";
    private static final String ALARM_COLUMNS = "alarm_id, alarm_type, severity, meter_id, model_version,"
            + " measured_value, threshold_value, raised_at_ms, message, last_notified_at_ms, last_value, cleared_at_ms,"
            + " resolution";
    private static final String TRIAL_COLUMNS = "model_name, training_run, trial_no, tuner, parameters,"
            + " validation_mse, validation_mae, duration_ms, seed";

    private final DataSource dataSource;
    private final ArtifactVerifier verifier;
    private final Clock clock;

    /** A registry over {@code dataSource} (schema already migrated); it closes the pool on {@link #close()}. */
    public JdbcModelRegistry(DataSource dataSource, ArtifactVerifier verifier, Clock clock) {
        this.dataSource = dataSource;
        this.verifier = verifier;
        this.clock = clock;
    }

    /** Opens the pool from the {@code registry.*} settings (see {@link RegistryDataSource}) and migrates the schema. */
    public static JdbcModelRegistry open(Settings settings, ArtifactVerifier verifier) {
        return new JdbcModelRegistry(RegistryDataSource.open(settings), verifier, Clock.systemUTC());
    }

    @Override
    public ModelVersion register(NewVersion v) {
        return inTransaction("register a version of " + v.modelName(), c -> {
            lockOrCreateModel(c, v.modelName());
            int number = queryInt(c, "SELECT COALESCE(MAX(version), 0) FROM model_versions WHERE model_name = ?",
                    v.modelName()) + 1;
            MetricDeltas vsPrevious = number == 1 ? null
                    : MetricDeltas.between(number - 1, find(c, v.modelName(), number - 1).orElseThrow().metrics(),
                            v.metrics());
            MetricDeltas vsChampion = currentChampion(c, v.modelName())
                    .map(champion -> MetricDeltas.between(champion.version(), champion.metrics(), v.metrics()))
                    .orElse(null);
            Instant now = now();
            ModelVersion stored = new ModelVersion(v.modelName(), number, now, v.trainingRun(), millis(v.dataFrom()),
                    millis(v.dataTo()), v.snapshotId(), v.trainer(), v.hyperparameters(), v.metrics(), vsPrevious,
                    vsChampion, v.artifactPath(), v.artifactSha256(), VersionStatus.CANDIDATE, now,
                    v.decisionReasons());
            insertVersion(c, stored);
            return stored;
        });
    }

    @Override
    public List<String> models() {
        return read("list models", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT name FROM models ORDER BY name");
                    ResultSet rs = s.executeQuery()) {
                List<String> names = new ArrayList<>();
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
                return names;
            }
        });
    }

    @Override
    public List<ModelVersion> versions(String modelName) {
        return read("list versions of " + modelName, c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT " + VERSION_COLUMNS + " FROM model_versions WHERE model_name = ? ORDER BY version")) {
                s.setString(1, modelName);
                return readVersions(s);
            }
        });
    }

    @Override
    public ModelVersion version(String modelName, int version) {
        return read("read " + modelName + " v" + version, c -> existing(c, modelName, version));
    }

    @Override
    public VersionComparison compare(String modelName, int a, int b) {
        return read("compare " + modelName + " v" + a + " and v" + b, c -> {
            ModelVersion first = existing(c, modelName, a);
            ModelVersion second = existing(c, modelName, b);
            return new VersionComparison(first, second, MetricDeltas.between(a, first.metrics(), second.metrics()));
        });
    }

    @Override
    public Optional<ModelVersion> champion(String modelName) {
        return read("read the champion of " + modelName, c -> currentChampion(c, modelName));
    }

    @Override
    public Optional<ModelVersion> championForServing(String modelName) {
        Optional<ModelVersion> champion = champion(modelName);
        champion.ifPresent(this::verifyArtifact);
        return champion;
    }

    @Override
    public Promotion promote(String modelName, int version, String by, String reason) {
        return inTransaction("promote " + modelName + " v" + version, c -> {
            lockModel(c, modelName);
            ModelVersion target = existing(c, modelName, version);
            if (target.status() == VersionStatus.REJECTED) {
                throw new RegistryConflictException(modelName + " v" + version
                        + " was rejected and cannot be promoted; roll back to it to serve it anyway");
            }
            return makeChampion(c, target, PromotionKind.PROMOTE, by, reason);
        });
    }

    @Override
    public Promotion rollback(String modelName, String by, String reason) {
        return inTransaction("roll back " + modelName, c -> {
            lockModel(c, modelName);
            List<Integer> chain = championChain(promotions(c, modelName));
            if (chain.size() < 2) {
                throw new RegistryConflictException(modelName + " has no earlier champion to roll back to");
            }
            ModelVersion target = existing(c, modelName, chain.get(chain.size() - 2));
            return makeChampion(c, target, PromotionKind.ROLLBACK, by, reason);
        });
    }

    @Override
    public Promotion rollbackTo(String modelName, int version, String by, String reason) {
        return inTransaction("roll back " + modelName + " to v" + version, c -> {
            lockModel(c, modelName);
            return makeChampion(c, existing(c, modelName, version), PromotionKind.ROLLBACK, by, reason);
        });
    }

    @Override
    public ModelVersion archive(String modelName, int version, String by, String reason) {
        return inTransaction("archive " + modelName + " v" + version, c -> {
            lockModel(c, modelName);
            ModelVersion target = existing(c, modelName, version);
            if (target.status() == VersionStatus.CHAMPION || target.status() == VersionStatus.ARCHIVED) {
                throw new RegistryConflictException(modelName + " v" + version + " is " + target.status()
                        + "; only candidates and rejected versions can be archived");
            }
            return changeStatus(c, target, VersionStatus.ARCHIVED, "archived by " + by + ": " + reason);
        });
    }

    @Override
    public ModelVersion reject(String modelName, int version, String reason) {
        return inTransaction("reject " + modelName + " v" + version, c -> {
            lockModel(c, modelName);
            ModelVersion target = existing(c, modelName, version);
            if (target.status() != VersionStatus.CANDIDATE) {
                throw new RegistryConflictException(
                        modelName + " v" + version + " is " + target.status() + "; only candidates can be rejected");
            }
            return changeStatus(c, target, VersionStatus.REJECTED, "rejected: " + reason);
        });
    }

    @Override
    public List<Promotion> promotions(String modelName) {
        return read("read the promotion history of " + modelName, c -> promotions(c, modelName));
    }

    @Override
    public boolean recordTrial(TuningTrial t) {
        return read("record trial " + t.trialNo() + " of run " + t.trainingRun(), c -> insertUnlessPresent(c,
                "INSERT INTO tuning_trials (" + TRIAL_COLUMNS + ", recorded_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                s -> {
                    s.setString(1, t.modelName());
                    s.setString(2, t.trainingRun());
                    s.setInt(3, t.trialNo());
                    s.setString(4, t.tuner());
                    s.setString(5, toJson(t.parameters()));
                    s.setDouble(6, t.validationMse());
                    s.setDouble(7, t.validationMae());
                    s.setLong(8, t.durationMs());
                    s.setLong(9, t.seed());
                    setInstant(s, 10, now());
                }));
    }

    @Override
    public List<TuningTrial> trials(String modelName, String trainingRun) {
        return read("list trials of run " + trainingRun, c -> trials(c, modelName, trainingRun));
    }

    @Override
    public List<TuningTrial> trialsOf(String modelName, int version) {
        return read("list trials of " + modelName + " v" + version, c -> {
            String run = existing(c, modelName, version).trainingRun();
            return run == null ? List.of() : trials(c, modelName, run);
        });
    }

    @Override
    public boolean recordAlarm(Alarm a) {
        if (!Double.isFinite(a.value()) || !Double.isFinite(a.threshold())) {
            throw new IllegalArgumentException("alarm " + a.alarmId() + " has a non-finite value or threshold");
        }
        return inTransaction("record alarm " + a.alarmId(), c -> {
            Optional<AlarmEpisode> stored = lockedAlarm(c, a.alarmId());
            if (stored.isEmpty()) {
                insertAlarm(c, AlarmEpisode.of(a));
                return true;
            }
            AlarmEpisode next = stored.get().with(a);
            if (next.equals(stored.get())) {
                return false;
            }
            updateAlarm(c, next);
            return true;
        });
    }

    @Override
    public List<AlarmEpisode> alarms(Instant from, Instant to, int limit) {
        return alarms(from, to, "", limit);
    }

    @Override
    public List<AlarmEpisode> alarms(Instant from, Instant to, AlarmStatus status, int limit) {
        return alarms(from, to, status == AlarmStatus.ACTIVE ? " AND cleared_at_ms IS NULL"
                : " AND cleared_at_ms IS NOT NULL", limit);
    }

    private List<AlarmEpisode> alarms(Instant from, Instant to, String statusCondition, int limit) {
        return read("list alarms", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + ALARM_COLUMNS + " FROM alarms"
                    + " WHERE raised_at_ms >= ? AND raised_at_ms < ?" + statusCondition
                    + " ORDER BY raised_at_ms, alarm_id LIMIT ?")) {
                setInstant(s, 1, from);
                setInstant(s, 2, to);
                s.setInt(3, limit);
                return readAlarms(s);
            }
        });
    }

    @Override
    public void close() {
        if (dataSource instanceof HikariDataSource pool) {
            pool.close();
        }
    }

    // --- champion changes ---

    private Promotion makeChampion(Connection c, ModelVersion target, PromotionKind kind, String by, String reason)
            throws SQLException {
        if (target.status() == VersionStatus.CHAMPION) {
            throw new RegistryConflictException(target.modelName() + " v" + target.version() + " is already the champion");
        }
        verifyArtifact(target);
        Instant now = now();
        Optional<ModelVersion> previous = currentChampion(c, target.modelName());
        if (previous.isPresent()) {
            // the old champion steps down first: the unique index never sees two champions of one model
            update(c, "UPDATE model_versions SET status = 'ARCHIVED', champion_of = NULL, status_changed_at_ms = ?"
                    + " WHERE model_name = ? AND version = ?", now, target.modelName(), previous.get().version());
        }
        update(c, "UPDATE model_versions SET status = 'CHAMPION', champion_of = model_name,"
                + " status_changed_at_ms = ? WHERE model_name = ? AND version = ?", now, target.modelName(), target.version());
        Integer from = previous.map(ModelVersion::version).orElse(null);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO promotions (model_name, from_version, to_version,"
                + " kind, promoted_at_ms, promoted_by, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            s.setString(1, target.modelName());
            setInteger(s, 2, from);
            s.setInt(3, target.version());
            s.setString(4, kind.name());
            setInstant(s, 5, now);
            s.setString(6, by);
            s.setString(7, reason);
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                Promotion promotion = new Promotion(keys.getLong(1), target.modelName(), from, target.version(), kind,
                        now, by, reason);
                LOG.info("{} v{} is the champion ({} from v{} by {}: {})", target.modelName(), target.version(),
                        kind, from, by, reason);
                return promotion;
            }
        }
    }

    /**
     * The champions that {@link #rollback} can return to, oldest first, ending with the current one: promotions
     * push onto it; rolling back to a version in it goes back to that point, any other rollback target is pushed.
     */
    static List<Integer> championChain(List<Promotion> history) {
        Deque<Integer> chain = new ArrayDeque<>();
        for (Promotion p : history) {
            if (p.kind() == PromotionKind.ROLLBACK && chain.contains(p.toVersion())) {
                while (chain.peekLast() != p.toVersion()) {
                    chain.removeLast();
                }
            } else {
                chain.addLast(p.toVersion());
            }
        }
        return new ArrayList<>(chain);
    }

    private void verifyArtifact(ModelVersion v) {
        try {
            verifier.verify(v.artifactPath(), v.artifactSha256());
        } catch (Exception e) {
            throw new ArtifactVerificationException(v.modelName() + " v" + v.version() + " is not served: its artifact "
                    + v.artifactPath() + " failed the SHA-256 check: " + e.getMessage(), e);
        }
    }

    private ModelVersion changeStatus(Connection c, ModelVersion v, VersionStatus status, String reason)
            throws SQLException {
        List<String> reasons = new ArrayList<>(v.decisionReasons());
        reasons.add(reason);
        Instant now = now();
        update(c, "UPDATE model_versions SET status = ?, status_changed_at_ms = ?, decision_reasons = ?"
                + " WHERE model_name = ? AND version = ?", status.name(), now, toJson(reasons), v.modelName(),
                v.version());
        return existing(c, v.modelName(), v.version());
    }

    // --- locking and transactions ---

    private static void lockModel(Connection c, String modelName) throws SQLException {
        if (!lockedModelExists(c, modelName)) {
            throw new NoSuchVersionException("no model named '" + modelName + "' is registered");
        }
    }

    private void lockOrCreateModel(Connection c, String modelName) throws SQLException {
        if (lockedModelExists(c, modelName)) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO models (name, created_at_ms) VALUES (?, ?)")) {
            s.setString(1, modelName);
            setInstant(s, 2, now());
            s.executeUpdate();
        } catch (SQLException e) {
            if (isDuplicateKey(e)) {
                // another transaction registered the model's first version meanwhile: start over and lock its row
                throw new SQLTransactionRollbackException("model " + modelName + " was created concurrently", "40001", e);
            }
            throw e;
        }
    }

    private static boolean lockedModelExists(Connection c, String modelName) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT name FROM models WHERE name = ? FOR UPDATE")) {
            s.setString(1, modelName);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private interface StatementSetter {
        void set(PreparedStatement s) throws SQLException;
    }

    private <T> T inTransaction(String what, SqlWork<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return withConnection(c -> {
                    c.setAutoCommit(false);
                    try {
                        T result = work.run(c);
                        c.commit();
                        return result;
                    } catch (SQLException | RuntimeException e) {
                        rollbackQuietly(c, e);
                        throw e;
                    }
                });
            } catch (SQLException e) {
                if (attempt < MAX_ATTEMPTS && isTransient(e)) {
                    LOG.debug("retrying '{}' after attempt {}: {}", what, attempt, e.getMessage());
                    backOff(attempt);
                    continue;
                }
                throw new RegistryException("Could not " + what + ": " + e.getMessage(), e);
            }
        }
    }

    private <T> T read(String what, SqlWork<T> work) {
        try {
            return withConnection(work);
        } catch (SQLException e) {
            throw new RegistryException("Could not " + what + ": " + e.getMessage(), e);
        }
    }

    private <T> T withConnection(SqlWork<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try {
                return work.run(c);
            } catch (SQLException e) {
                evictIfBroken(c);
                throw e;
            }
        }
    }

    /**
     * HikariCP evicts connections that fail with SQLState 08xxx, but not every driver reports a lost server that
     * way (H2 over TCP says 90121), and a connection reused within half a second is not validated on borrowing: a
     * connection that failed and no longer passes {@code isValid} is evicted here so the next call opens a new one.
     */
    private void evictIfBroken(Connection c) {
        if (dataSource instanceof HikariDataSource pool) {
            try {
                if (!c.isValid((int) RegistryDataSource.VALIDATION_TIMEOUT.toSeconds())) {
                    pool.evictConnection(c);
                }
            } catch (SQLException e) {
                pool.evictConnection(c);
            }
        }
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static boolean isTransient(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        int code = e.getErrorCode();
        return e instanceof SQLTransactionRollbackException || state.startsWith("40")
                || code == MYSQL_DEADLOCK || code == MYSQL_LOCK_WAIT_TIMEOUT
                || code == H2_LOCK_TIMEOUT || code == H2_CONCURRENT_UPDATE;
    }

    private static boolean isDuplicateKey(SQLException e) {
        return e.getErrorCode() == MYSQL_DUPLICATE_KEY || e.getErrorCode() == H2_DUPLICATE_KEY;
    }

    private static void backOff(int attempt) {
        try {
            // random, growing pause so that transactions which deadlocked do not collide again in lockstep
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 10L * Math.min(attempt, 10) + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while retrying a registry transaction", e);
        }
    }

    // --- rows ---

    private static boolean insertUnlessPresent(Connection c, String sql, StatementSetter setter) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            setter.set(s);
            s.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    private static Optional<AlarmEpisode> lockedAlarm(Connection c, String alarmId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT " + ALARM_COLUMNS + " FROM alarms WHERE alarm_id = ? FOR UPDATE")) {
            s.setString(1, alarmId);
            return readAlarms(s).stream().findFirst();
        }
    }

    private void insertAlarm(Connection c, AlarmEpisode a) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO alarms (" + ALARM_COLUMNS
                + ", recorded_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, a.alarmId());
            setAlarmFields(s, 2, a);
            setInstant(s, 14, now());
            s.executeUpdate();
        } catch (SQLException e) {
            if (isDuplicateKey(e)) {
                // another writer recorded the id's first event meanwhile: start over and lock its row
                throw new SQLTransactionRollbackException("alarm " + a.alarmId() + " was recorded concurrently",
                        "40001", e);
            }
            throw e;
        }
    }

    private static void updateAlarm(Connection c, AlarmEpisode a) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE alarms SET alarm_type = ?, severity = ?, meter_id = ?,"
                + " model_version = ?, measured_value = ?, threshold_value = ?, raised_at_ms = ?, message = ?,"
                + " last_notified_at_ms = ?, last_value = ?, cleared_at_ms = ?, resolution = ? WHERE alarm_id = ?")) {
            setAlarmFields(s, 1, a);
            s.setString(13, a.alarmId());
            s.executeUpdate();
        }
    }

    /** Sets every column after the id, from {@code first} on, in {@link #ALARM_COLUMNS} order. */
    private static void setAlarmFields(PreparedStatement s, int first, AlarmEpisode a) throws SQLException {
        s.setString(first, a.type().name());
        s.setString(first + 1, a.severity().name());
        s.setString(first + 2, a.meterId());
        s.setInt(first + 3, a.modelVersion());
        s.setDouble(first + 4, a.value());
        s.setDouble(first + 5, a.threshold());
        s.setLong(first + 6, a.time());
        s.setString(first + 7, a.message());
        setLong(s, first + 8, a.lastNotifiedAt());
        setDouble(s, first + 9, a.lastValue());
        setLong(s, first + 10, a.clearedAt());
        s.setString(first + 11, a.resolution());
    }

    private static List<AlarmEpisode> readAlarms(PreparedStatement s) throws SQLException {
        try (ResultSet rs = s.executeQuery()) {
            List<AlarmEpisode> alarms = new ArrayList<>();
            while (rs.next()) {
                alarms.add(new AlarmEpisode(rs.getString(1), AlarmType.valueOf(rs.getString(2)),
                        Severity.valueOf(rs.getString(3)), rs.getString(4), rs.getInt(5), rs.getDouble(6),
                        rs.getDouble(7), rs.getLong(8), rs.getString(9), rs.getObject(10, Long.class),
                        rs.getObject(11, Double.class), rs.getObject(12, Long.class), rs.getString(13)));
            }
            return alarms;
        }
    }

    private void insertVersion(Connection c, ModelVersion v) throws SQLException {
        MetricDeltas prev = v.deltaVsPrevious();
        MetricDeltas champ = v.deltaVsChampion();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO model_versions (" + VERSION_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, v.modelName());
            s.setInt(2, v.version());
            setInstant(s, 3, v.createdAt());
            s.setString(4, v.trainingRun());
            setInstant(s, 5, v.dataFrom());
            setInstant(s, 6, v.dataTo());
            s.setString(7, v.snapshotId());
            s.setString(8, v.trainer());
            s.setString(9, toJson(v.hyperparameters()));
            s.setDouble(10, v.metrics().mse());
            s.setDouble(11, v.metrics().mae());
            s.setDouble(12, v.metrics().r2());
            setInteger(s, 13, prev == null ? null : prev.baseVersion());
            setDouble(s, 14, prev == null ? null : prev.mse());
            setDouble(s, 15, prev == null ? null : prev.mae());
            setDouble(s, 16, prev == null ? null : prev.r2());
            setInteger(s, 17, champ == null ? null : champ.baseVersion());
            setDouble(s, 18, champ == null ? null : champ.mse());
            setDouble(s, 19, champ == null ? null : champ.mae());
            setDouble(s, 20, champ == null ? null : champ.r2());
            s.setString(21, v.artifactPath());
            s.setString(22, v.artifactSha256());
            s.setString(23, v.status().name());
            setInstant(s, 24, v.statusChangedAt());
            s.setString(25, toJson(v.decisionReasons()));
            s.executeUpdate();
        }
    }

    private static ModelVersion existing(Connection c, String modelName, int version) throws SQLException {
        return find(c, modelName, version).orElseThrow(
                () -> new NoSuchVersionException("model '" + modelName + "' has no version " + version));
    }

    private static Optional<ModelVersion> find(Connection c, String modelName, int version) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT " + VERSION_COLUMNS + " FROM model_versions WHERE model_name = ? AND version = ?")) {
            s.setString(1, modelName);
            s.setInt(2, version);
            return readVersions(s).stream().findFirst();
        }
    }

    private static Optional<ModelVersion> currentChampion(Connection c, String modelName) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT " + VERSION_COLUMNS + " FROM model_versions WHERE champion_of = ?")) {
            s.setString(1, modelName);
            return readVersions(s).stream().findFirst();
        }
    }

    private static List<ModelVersion> readVersions(PreparedStatement s) throws SQLException {
        try (ResultSet rs = s.executeQuery()) {
            List<ModelVersion> versions = new ArrayList<>();
            while (rs.next()) {
                Metrics metrics = new Metrics(rs.getDouble("mse"), rs.getDouble("mae"), rs.getDouble("r2"));
                versions.add(new ModelVersion(rs.getString("model_name"), rs.getInt("version"),
                        instant(rs, "created_at_ms"), rs.getString("training_run"), instant(rs, "data_from_ms"),
                        instant(rs, "data_to_ms"), rs.getString("snapshot_id"), rs.getString("trainer"),
                        fromJson(rs.getString("hyperparameters"), JSON_OBJECT), metrics,
                        deltas(rs, "previous_version", "delta_prev_"),
                        deltas(rs, "champion_at_registration", "delta_champion_"), rs.getString("artifact_path"),
                        rs.getString("artifact_sha256"), VersionStatus.valueOf(rs.getString("status")),
                        instant(rs, "status_changed_at_ms"), fromJson(rs.getString("decision_reasons"), JSON_STRINGS)));
            }
            return versions;
        }
    }

    private static MetricDeltas deltas(ResultSet rs, String baseColumn, String prefix) throws SQLException {
        Integer base = rs.getObject(baseColumn, Integer.class);
        return base == null ? null : new MetricDeltas(base, rs.getObject(prefix + "mse", Double.class),
                rs.getObject(prefix + "mae", Double.class), rs.getObject(prefix + "r2", Double.class));
    }

    private static List<Promotion> promotions(Connection c, String modelName) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT " + PROMOTION_COLUMNS + " FROM promotions WHERE model_name = ? ORDER BY id")) {
            s.setString(1, modelName);
            try (ResultSet rs = s.executeQuery()) {
                List<Promotion> history = new ArrayList<>();
                while (rs.next()) {
                    history.add(new Promotion(rs.getLong(1), rs.getString(2), rs.getObject(3, Integer.class),
                            rs.getInt(4), PromotionKind.valueOf(rs.getString(5)), instant(rs, 6), rs.getString(7),
                            rs.getString(8)));
                }
                return history;
            }
        }
    }

    private static List<TuningTrial> trials(Connection c, String modelName, String run) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + TRIAL_COLUMNS
                + " FROM tuning_trials WHERE model_name = ? AND training_run = ? ORDER BY trial_no")) {
            s.setString(1, modelName);
            s.setString(2, run);
            try (ResultSet rs = s.executeQuery()) {
                List<TuningTrial> trials = new ArrayList<>();
                while (rs.next()) {
                    trials.add(new TuningTrial(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                            fromJson(rs.getString(5), JSON_OBJECT), rs.getDouble(6), rs.getDouble(7), rs.getLong(8),
                            rs.getLong(9)));
                }
                return trials;
            }
        }
    }

    // --- values ---

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Times are stored in milliseconds; truncating first makes what is returned equal what is stored. */
    private static Instant millis(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS);
    }

    private static int queryInt(Connection c, String sql, String parameter) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void update(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i] instanceof Instant instant) {
                    setInstant(s, i + 1, instant);
                } else {
                    s.setObject(i + 1, parameters[i]);
                }
            }
            s.executeUpdate();
        }
    }

    private static void setInstant(PreparedStatement s, int index, Instant instant) throws SQLException {
        if (instant == null) {
            s.setNull(index, Types.BIGINT);
        } else {
            s.setLong(index, instant.toEpochMilli());
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Long millis = rs.getObject(column, Long.class);
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return Instant.ofEpochMilli(rs.getLong(column));
    }

    private static void setInteger(PreparedStatement s, int index, Integer value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.INTEGER);
        } else {
            s.setInt(index, value);
        }
    }

    private static void setLong(PreparedStatement s, int index, Long value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.BIGINT);
        } else {
            s.setLong(index, value);
        }
    }

    private static void setDouble(PreparedStatement s, int index, Double value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.DOUBLE);
        } else {
            s.setDouble(index, value);
        }
    }

    private static String toJson(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serializable as JSON: " + value, e);
        }
    }

    private static <T> T fromJson(String json, TypeReference<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new RegistryException("stored JSON is unreadable: " + json, e);
        }
    }
}
