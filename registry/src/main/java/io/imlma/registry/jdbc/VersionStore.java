package io.imlma.registry.jdbc;

import io.imlma.registry.ArtifactVerificationException;
import io.imlma.registry.ArtifactVerifier;
import io.imlma.registry.MetricDeltas;
import io.imlma.registry.ModelVersion;
import io.imlma.registry.NewVersion;
import io.imlma.registry.NoSuchVersionException;
import io.imlma.registry.Promotion;
import io.imlma.registry.PromotionKind;
import io.imlma.registry.RegistryConflictException;
import io.imlma.registry.TestRows;
import io.imlma.registry.VersionComparison;
import io.imlma.registry.VersionStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The versions of every model, their lifecycle and the champion of each model, with the promotion history (tables
 * {@code models}, {@code model_versions}, {@code promotions}).
 *
 * <p>Every change to a model's versions or champion runs in one transaction that first locks the model's row
 * ({@code SELECT ... FOR UPDATE}), so changes to one model are serialized and the promotion history is written in
 * the order the changes happened. The schema itself admits at most one champion per model (a unique index on
 * {@code champion_of}), so no code path, raw SQL included, can create a second one.
 */
final class VersionStore {
    private static final Logger LOG = LoggerFactory.getLogger(VersionStore.class);

    private static final String SELECT = "SELECT " + VersionRows.COLUMNS + " FROM model_versions";

    private final Transactions transactions;
    private final ArtifactVerifier verifier;
    private final Clock clock;

    VersionStore(Transactions transactions, ArtifactVerifier verifier, Clock clock) {
        this.transactions = transactions;
        this.verifier = verifier;
        this.clock = clock;
    }

    ModelVersion register(NewVersion v) {
        return transactions.inTransaction("register a version of " + v.modelName(), c -> {
            lockOrCreateModel(c, v.modelName());
            int number = Sql.queryFirst(c, "SELECT COALESCE(MAX(version), 0) FROM model_versions WHERE model_name = ?",
                    Sql.values(v.modelName()), rs -> rs.getInt(1)).orElseThrow() + 1;
            MetricDeltas vsPrevious = number == 1 ? null
                    : MetricDeltas.between(number - 1, find(c, v.modelName(), number - 1).orElseThrow().metrics(),
                            v.metrics());
            // against the champion only like for like: both on this version's test rows, as the decision saw them
            MetricDeltas vsChampion = v.championMetrics() == null ? null
                    : MetricDeltas.between(v.championVersion(), v.championMetrics(), v.metrics());
            Integer champion = v.championVersion() != null ? v.championVersion()
                    : currentChampion(c, v.modelName()).map(ModelVersion::version).orElse(null);
            Instant now = now();
            ModelVersion stored = new ModelVersion(v.modelName(), number, now, v.trainingRun(),
                    Sql.millis(v.dataFrom()), Sql.millis(v.dataTo()), v.snapshotId(), v.trainer(), v.hyperparameters(),
                    v.metrics(), vsPrevious, vsChampion, v.artifactPath(), v.artifactSha256(), VersionStatus.CANDIDATE,
                    now, v.decisionReasons(), testRows(v.testRows()), champion, v.championMetrics());
            Sql.update(c, VersionRows.INSERT, s -> VersionRows.bind(s, stored));
            return stored;
        });
    }

    List<String> models() {
        return transactions.withConnection("list models",
                c -> Sql.query(c, "SELECT name FROM models ORDER BY name", Sql.values(), rs -> rs.getString(1)));
    }

    List<ModelVersion> versions(String modelName) {
        return transactions.withConnection("list versions of " + modelName, c -> Sql.query(c,
                SELECT + " WHERE model_name = ? ORDER BY version", Sql.values(modelName), VersionRows::read));
    }

    ModelVersion version(String modelName, int version) {
        return transactions.withConnection("read " + modelName + " v" + version, c -> existing(c, modelName, version));
    }

    VersionComparison compare(String modelName, int a, int b) {
        return transactions.withConnection("compare " + modelName + " v" + a + " and v" + b, c -> {
            ModelVersion first = existing(c, modelName, a);
            ModelVersion second = existing(c, modelName, b);
            return new VersionComparison(first, second, MetricDeltas.between(a, first.metrics(), second.metrics()));
        });
    }

    Optional<ModelVersion> champion(String modelName) {
        return transactions.withConnection("read the champion of " + modelName, c -> currentChampion(c, modelName));
    }

    Optional<ModelVersion> championForServing(String modelName) {
        Optional<ModelVersion> champion = champion(modelName);
        champion.ifPresent(this::verifyArtifact);
        return champion;
    }

    Promotion promote(String modelName, int version, String by, String reason) {
        return transactions.inTransaction("promote " + modelName + " v" + version, c -> {
            lockModel(c, modelName);
            ModelVersion target = existing(c, modelName, version);
            if (target.status() == VersionStatus.REJECTED) {
                throw new RegistryConflictException(modelName + " v" + version
                        + " was rejected and cannot be promoted; roll back to it to serve it anyway");
            }
            return makeChampion(c, target, PromotionKind.PROMOTE, by, reason);
        });
    }

    Promotion rollback(String modelName, String by, String reason) {
        return transactions.inTransaction("roll back " + modelName, c -> {
            lockModel(c, modelName);
            List<Integer> chain = championChain(promotions(c, modelName));
            if (chain.size() < 2) {
                throw new RegistryConflictException(modelName + " has no earlier champion to roll back to");
            }
            ModelVersion target = existing(c, modelName, chain.get(chain.size() - 2));
            return makeChampion(c, target, PromotionKind.ROLLBACK, by, reason);
        });
    }

    Promotion rollbackTo(String modelName, int version, String by, String reason) {
        return transactions.inTransaction("roll back " + modelName + " to v" + version, c -> {
            lockModel(c, modelName);
            return makeChampion(c, existing(c, modelName, version), PromotionKind.ROLLBACK, by, reason);
        });
    }

    ModelVersion archive(String modelName, int version, String by, String reason) {
        return transactions.inTransaction("archive " + modelName + " v" + version, c -> {
            lockModel(c, modelName);
            ModelVersion target = existing(c, modelName, version);
            if (target.status() == VersionStatus.CHAMPION || target.status() == VersionStatus.ARCHIVED) {
                throw new RegistryConflictException(modelName + " v" + version + " is " + target.status()
                        + "; only candidates and rejected versions can be archived");
            }
            return changeStatus(c, target, VersionStatus.ARCHIVED, "archived by " + by + ": " + reason);
        });
    }

    ModelVersion reject(String modelName, int version, String reason) {
        return transactions.inTransaction("reject " + modelName + " v" + version, c -> {
            lockModel(c, modelName);
            ModelVersion target = existing(c, modelName, version);
            if (target.status() != VersionStatus.CANDIDATE) {
                throw new RegistryConflictException(
                        modelName + " v" + version + " is " + target.status() + "; only candidates can be rejected");
            }
            return changeStatus(c, target, VersionStatus.REJECTED, "rejected: " + reason);
        });
    }

    List<Promotion> promotions(String modelName) {
        return transactions.withConnection("read the promotion history of " + modelName,
                c -> promotions(c, modelName));
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
            Sql.update(c, "UPDATE model_versions SET status = 'ARCHIVED', champion_of = NULL, status_changed_at_ms = ?"
                    + " WHERE model_name = ? AND version = ?",
                    Sql.values(now, target.modelName(), previous.get().version()));
        }
        Sql.update(c, "UPDATE model_versions SET status = 'CHAMPION', champion_of = model_name,"
                + " status_changed_at_ms = ? WHERE model_name = ? AND version = ?",
                Sql.values(now, target.modelName(), target.version()));
        Integer from = previous.map(ModelVersion::version).orElse(null);
        Promotion promotion = insertPromotion(c,
                new Promotion(0, target.modelName(), from, target.version(), kind, now, by, reason));
        LOG.info("{} v{} is the champion ({} from v{} by {}: {})", target.modelName(), target.version(), kind, from,
                by, reason);
        return promotion;
    }

    /** Stores {@code p}; returns it with the id the database gave it. */
    private static Promotion insertPromotion(Connection c, Promotion p) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(PromotionRows.INSERT, Statement.RETURN_GENERATED_KEYS)) {
            PromotionRows.bind(s, p);
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                return new Promotion(keys.getLong(1), p.modelName(), p.fromVersion(), p.toVersion(), p.kind(), p.at(),
                        p.by(), p.reason());
            }
        }
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
        Sql.update(c, "UPDATE model_versions SET status = ?, status_changed_at_ms = ?, decision_reasons = ?"
                + " WHERE model_name = ? AND version = ?",
                Sql.values(status.name(), now(), Sql.toJson(reasons), v.modelName(), v.version()));
        return existing(c, v.modelName(), v.version());
    }

    private static void lockModel(Connection c, String modelName) throws SQLException {
        if (!lockedModelExists(c, modelName)) {
            throw new NoSuchVersionException("no model named '" + modelName + "' is registered");
        }
    }

    private void lockOrCreateModel(Connection c, String modelName) throws SQLException {
        if (lockedModelExists(c, modelName)) {
            return;
        }
        if (!Sql.insertUnlessPresent(c, "INSERT INTO models (name, created_at_ms) VALUES (?, ?)",
                Sql.values(modelName, now()))) {
            // another transaction registered the model's first version meanwhile: start over and lock its row
            throw new SQLTransactionRollbackException("model " + modelName + " was created concurrently", "40001");
        }
    }

    private static boolean lockedModelExists(Connection c, String modelName) throws SQLException {
        return Sql.queryFirst(c, "SELECT name FROM models WHERE name = ? FOR UPDATE", Sql.values(modelName),
                rs -> rs.getString(1)).isPresent();
    }

    private static ModelVersion existing(Connection c, String modelName, int version) throws SQLException {
        return find(c, modelName, version).orElseThrow(
                () -> new NoSuchVersionException("model '" + modelName + "' has no version " + version));
    }

    private static Optional<ModelVersion> find(Connection c, String modelName, int version) throws SQLException {
        return Sql.queryFirst(c, SELECT + " WHERE model_name = ? AND version = ?", Sql.values(modelName, version),
                VersionRows::read);
    }

    private static Optional<ModelVersion> currentChampion(Connection c, String modelName) throws SQLException {
        return Sql.queryFirst(c, SELECT + " WHERE champion_of = ?", Sql.values(modelName), VersionRows::read);
    }

    private static List<Promotion> promotions(Connection c, String modelName) throws SQLException {
        return Sql.query(c, "SELECT " + PromotionRows.COLUMNS + " FROM promotions WHERE model_name = ? ORDER BY id",
                Sql.values(modelName), PromotionRows::read);
    }

    private static TestRows testRows(TestRows rows) {
        return rows == null ? null
                : new TestRows(Sql.millis(rows.firstTarget()), Sql.millis(rows.lastTarget()), rows.count());
    }

    private Instant now() {
        return Sql.millis(clock.instant());
    }
}
