package io.imlma.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imlma.common.json.Json;
import io.imlma.common.types.ModelUpdate;
import io.imlma.registry.AlarmStatus;
import io.imlma.registry.MetricDeltas;
import io.imlma.registry.ModelRegistry;
import io.imlma.registry.ModelVersion;
import io.imlma.registry.NoSuchVersionException;
import io.imlma.registry.Promotion;
import io.imlma.registry.TestRows;
import io.imlma.registry.TuningTrial;
import io.imlma.registry.VersionComparison;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry over HTTP: models, versions (with which rows each number was computed on), comparison, trials,
 * alarms, and the champion changes (promote, roll back, archive), which need the bearer token. A change of champion
 * made here is served by /predict at once.
 */
final class RegistryRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryRoutes.class);

    static final int DEFAULT_ALARM_LIMIT = 1_000;
    static final int MAX_ALARM_LIMIT = 10_000;

    /** A model and where it stands. */
    record ModelSummary(String name, Integer champion, int latestVersion, int versions) {}

    /**
     * A version as the API shows it: the stored version, and which rows its metrics and each ΔM were computed on.
     * {@code deltaVsChampion} is like for like (both on this version's test rows, as the replacement decision
     * compared them) or absent; {@code deltaVsPrevious} is the paper's version-to-version ΔM_v across different
     * test windows.
     */
    record VersionView(@JsonUnwrapped ModelVersion version, ComputedOn computedOn) {
        static VersionView of(ModelVersion v) {
            return new VersionView(v, ComputedOn.of(v));
        }
    }

    /** Which rows each number of a version was computed on, in words. */
    record ComputedOn(String metrics, String deltaVsChampion, String deltaVsPrevious) {
        static final String NOT_SAME_ROWS = "not measured on the same rows";

        static ComputedOn of(ModelVersion v) {
            String own = "v" + v.version() + "'s test rows";
            TestRows rows = v.testRows();
            String metrics = rows == null ? own + " (which rows was not recorded)"
                    : own + ": " + rows.count() + " rows, targets " + rows.firstTarget() + " .. " + rows.lastTarget();
            String vsChampion;
            if (v.deltaVsChampion() != null) {
                vsChampion = "v" + v.version() + " and champion v" + v.championAtRegistration() + " both on " + own
                        + ", as the replacement decision compared them";
            } else if (v.championAtRegistration() != null) {
                vsChampion = NOT_SAME_ROWS + ": champion v" + v.championAtRegistration() + " was not scored on " + own
                        + " (registered before that was recorded, or its model file was refused)";
            } else {
                vsChampion = "no champion to compare with";
            }
            String vsPrevious = v.deltaVsPrevious() == null ? "first version"
                    : "the paper's ΔM_v: v" + v.version() + " on its own test rows against v"
                            + v.deltaVsPrevious().baseVersion() + " on its own; different test windows, not like for"
                            + " like";
            return new ComputedOn(metrics, vsChampion, vsPrevious);
        }
    }

    /** GET /compare: each version's stored metrics and ΔM from a to b, saying whether they share their test rows. */
    record ComparisonView(VersionView a, VersionView b, MetricDeltas delta, boolean sameTestRows, String computedOn) {
        static ComparisonView of(VersionComparison c) {
            boolean same = c.a().testRows() != null && c.a().testRows().equals(c.b().testRows());
            return new ComparisonView(VersionView.of(c.a()), VersionView.of(c.b()), c.delta(), same, same
                    ? "both on the same test rows"
                    : "each on its own test rows (different windows, " + ComputedOn.NOT_SAME_ROWS + "); POST /evaluate"
                            + " with 'against' scores both on the same rows");
        }
    }

    private final ModelRegistry registry;
    private final ServedChampions champions;
    /** Null when no streaming job is connected. */
    private final ChampionAnnouncer announcer;

    RegistryRoutes(ModelRegistry registry, ServedChampions champions, ChampionAnnouncer announcer) {
        this.registry = registry;
        this.champions = champions;
        this.announcer = announcer;
    }

    void register(Javalin app, UnaryOperator<Handler> authorized) {
        app.get("/models", this::models);
        app.get("/models/{name}/versions", this::versions);
        app.get("/models/{name}/versions/{version}", ctx -> ctx.json(VersionView.of(
                registry.version(ctx.pathParam("name"), Requests.pathInt(ctx, "version")))));
        app.get("/models/{name}/compare", ctx -> ctx.json(ComparisonView.of(registry.compare(ctx.pathParam("name"),
                Requests.requiredQueryInt(ctx, "a"), Requests.requiredQueryInt(ctx, "b")))));
        app.get("/models/{name}/trials", this::trials);
        app.get("/models/{name}/promotions", ctx -> ctx.json(promotions(ctx.pathParam("name"))));
        app.get("/alarms", this::alarms);
        app.post("/models/{name}/versions/{version}/promote", authorized.apply(this::promote));
        app.post("/models/{name}/versions/{version}/archive", authorized.apply(this::archive));
        app.post("/models/{name}/rollback", authorized.apply(this::rollback));
    }

    private void models(Context ctx) {
        List<ModelSummary> models = new ArrayList<>();
        for (String name : registry.models()) {
            List<ModelVersion> versions = registry.versions(name);
            models.add(new ModelSummary(name, registry.champion(name).map(ModelVersion::version).orElse(null),
                    versions.isEmpty() ? 0 : versions.get(versions.size() - 1).version(), versions.size()));
        }
        ctx.json(models);
    }

    private void versions(Context ctx) {
        String name = ctx.pathParam("name");
        List<ModelVersion> versions = registry.versions(name);
        if (versions.isEmpty()) {
            throw unknownModel(name);
        }
        ctx.json(versions.stream().map(VersionView::of).toList());
    }

    private void trials(Context ctx) {
        String name = ctx.pathParam("name");
        String run = ctx.queryParam("run");
        Integer version = Requests.queryInt(ctx, "version");
        List<TuningTrial> trials;
        if (run != null && !run.isBlank()) {
            trials = registry.trials(name, run);
        } else if (version != null) {
            trials = registry.trialsOf(name, version);
        } else {
            throw new ApiException(400, "name the training run (?run=...) or the version (?version=...) whose"
                    + " tuning trials to list");
        }
        ctx.json(trials);
    }

    private List<Promotion> promotions(String name) {
        if (registry.versions(name).isEmpty()) {
            throw unknownModel(name);
        }
        return registry.promotions(name);
    }

    private void alarms(Context ctx) {
        Instant from = Requests.queryInstant(ctx, "from", Instant.EPOCH);
        Instant to = Requests.queryInstant(ctx, "to", Instant.ofEpochMilli(Long.MAX_VALUE));
        if (!from.isBefore(to)) {
            throw new ApiException(400, "'from' (" + from + ") must be before 'to' (" + to + ")");
        }
        Integer limit = Requests.queryInt(ctx, "limit");
        int max = limit == null ? DEFAULT_ALARM_LIMIT : limit;
        if (max < 1 || max > MAX_ALARM_LIMIT) {
            throw new ApiException(400, "'limit' must be between 1 and " + MAX_ALARM_LIMIT + ", got " + max);
        }
        AlarmStatus status = alarmStatus(ctx.queryParam("status"));
        ctx.json(status == null ? registry.alarms(from, to, max) : registry.alarms(from, to, status, max));
    }

    /** The {@code status} filter of /alarms: active or resolved episodes, or all when absent. */
    private static AlarmStatus alarmStatus(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        for (AlarmStatus status : AlarmStatus.values()) {
            if (status.name().equalsIgnoreCase(raw.trim())) {
                return status;
            }
        }
        throw new ApiException(400, "'status' must be 'active' or 'resolved', got '" + raw + "'");
    }

    private void promote(Context ctx) {
        String name = ctx.pathParam("name");
        int version = Requests.pathInt(ctx, "version");
        JsonNode body = Requests.optionalObject(ctx);
        Promotion promotion = registry.promote(name, version, by(body),
                Requests.optionalText(body, "reason", "promoted through the API"));
        changedChampion(ctx, promotion);
    }

    private void rollback(Context ctx) {
        String name = ctx.pathParam("name");
        JsonNode body = Requests.optionalObject(ctx);
        Integer toVersion = Requests.optionalInt(body, "toVersion");
        String by = by(body);
        Promotion promotion = toVersion == null
                ? registry.rollback(name, by, Requests.optionalText(body, "reason", "rolled back through the API"))
                : registry.rollbackTo(name, toVersion, by,
                        Requests.optionalText(body, "reason", "rolled back to v" + toVersion + " through the API"));
        changedChampion(ctx, promotion);
    }

    /**
     * After a change of champion: /predict serves the new one from its next call, the streaming job is told, and the
     * answer is the promotion with {@code announced} (whether the streaming job was told) and, when it was not,
     * {@code announceError}. The change stands either way (the registry is the record; a job that was not told takes
     * the registry's champion when it starts again), so a failed announcement is not an error to retry the call for.
     */
    private void changedChampion(Context ctx, Promotion promotion) {
        champions.forget(promotion.modelName());
        ObjectNode answer = Json.MAPPER.valueToTree(promotion);
        if (announcer == null) {
            answer.put("announced", false);
            answer.put("announceError", "no streaming job is connected (kafka.bootstrap.servers is not set): it"
                    + " serves the registry's champion when it starts again");
        } else {
            ModelUpdate update = registry.version(promotion.modelName(), promotion.toVersion()).championUpdate();
            try {
                announcer.announce(update);
                answer.put("announced", true);
            } catch (Exception e) {
                LOG.error("{} v{} is the champion in the registry, but the streaming job was not told: {}",
                        update.modelName(), update.version(), e.toString());
                answer.put("announced", false);
                answer.put("announceError", "the streaming job was not told (" + e.getMessage() + "): it serves"
                        + " the registry's champion when it starts again");
            }
        }
        ctx.json(answer);
    }

    private void archive(Context ctx) {
        JsonNode body = Requests.optionalObject(ctx);
        ctx.json(VersionView.of(registry.archive(ctx.pathParam("name"), Requests.pathInt(ctx, "version"), by(body),
                Requests.optionalText(body, "reason", "archived through the API"))));
    }

    private static String by(JsonNode body) {
        return Requests.optionalText(body, "by", "api");
    }

    private static NoSuchVersionException unknownModel(String name) {
        return new NoSuchVersionException("no model named '" + name + "' is registered");
    }
}
