package io.imlma.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.imlma.common.integrity.SnapshotLocation;
import io.imlma.common.kafka.KafkaOptions;
import io.imlma.common.types.RetrainCommand;
import io.imlma.ml.eval.Metrics;
import io.imlma.registry.ModelRegistry;
import io.imlma.registry.ModelVersion;
import io.imlma.registry.TestRows;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST /train (a manual retraining request, handed to the {@link RetrainRequester}) and POST /evaluate (a version
 * evaluated on a data range by the {@link Evaluator}); both start work elsewhere and need the bearer token. Either
 * answers 503 when the embedding application supplied no such component.
 */
final class JobRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(JobRoutes.class);
    private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /** Answer to an accepted /train request. */
    record TrainAccepted(String requestId, String model, String status, Instant requestedAt) {}

    /**
     * Answer to /evaluate: the version's metrics next to the champion's, the other version's ({@code against}, when
     * asked for) and the baselines', all on the same rows ({@code testRows}).
     */
    record EvaluationResult(String model, int version, Instant from, Instant to, TestRows testRows, Metrics metrics,
            Integer championVersion, Metrics champion, Integer againstVersion, Metrics against, Metrics lastValue,
            Metrics seasonalValue, boolean wouldReplaceChampion, List<String> reasons) {}

    private final ModelRegistry registry;
    private final RetrainRequester retrainRequester;
    private final Evaluator evaluator;
    private final Clock clock;

    JobRoutes(ModelRegistry registry, RetrainRequester retrainRequester, Evaluator evaluator, Clock clock) {
        this.registry = registry;
        this.retrainRequester = retrainRequester;
        this.evaluator = evaluator;
        this.clock = clock;
    }

    void register(Javalin app, UnaryOperator<Handler> authorized) {
        app.post("/train", authorized.apply(this::train));
        app.post("/evaluate", authorized.apply(this::evaluate));
    }

    private void train(Context ctx) {
        JsonNode body = Requests.object(ctx);
        String model = Requests.text(body, "model");
        if (!MODEL_NAME.matcher(model).matches()) {
            throw new ApiException(400, "field 'model' must be letters, digits, '.', '_' or '-', got '" + model + "'");
        }
        String requestedBy = Requests.optionalText(body, "requestedBy", "api");
        String reason = Requests.optionalText(body, "reason", "manual retraining requested through the API");
        if (retrainRequester == null) {
            throw new ApiException(503, "retraining is not available: this API server was started without a"
                    + " retraining launcher (standalone, set " + KafkaOptions.BOOTSTRAP_SERVERS.key()
                    + " to publish requests to the streaming job's retrain-commands topic)");
        }
        String requestId = UUID.randomUUID().toString();
        Instant requestedAt = clock.instant();
        try {
            retrainRequester.request(RetrainCommand.manual(model, requestedBy + " (" + requestId + ")",
                    requestedAt.toEpochMilli()));
        } catch (Exception e) {
            LOG.error("Retraining request {} for {} was not accepted", requestId, model, e);
            throw new ApiException(503, "the retraining request for '" + model + "' was not accepted: " + e.getMessage(),
                    e);
        }
        LOG.info("Manual retraining of {} requested by {} ({}): {}", model, requestedBy, requestId, reason);
        ctx.status(202).json(new TrainAccepted(requestId, model, "accepted", requestedAt));
    }

    private void evaluate(Context ctx) {
        JsonNode body = Requests.object(ctx);
        String model = Requests.text(body, "model");
        Integer version = Requests.optionalInt(body, "version");
        if (version == null) {
            throw new ApiException(400, "field 'version' is required: the version to evaluate");
        }
        Instant from = Requests.instant(body, "from");
        Instant to = Requests.instant(body, "to");
        if (!from.isBefore(to)) {
            throw new ApiException(400, "'from' (" + from + ") must be before 'to' (" + to + ")");
        }
        Integer againstVersion = Requests.optionalInt(body, "against");
        ModelVersion target = registry.version(model, version);
        ModelVersion against = againstVersion == null ? null : registry.version(model, againstVersion);
        if (evaluator == null) {
            throw new ApiException(503, "evaluation is not available: this API server has no snapshots to evaluate"
                    + " on (set " + SnapshotLocation.PATH.key() + " and " + SnapshotLocation.BACKUP_PATH.key() + ")");
        }
        Evaluator.Result result;
        try {
            result = evaluator.evaluate(target, against, from, to);
        } catch (IllegalArgumentException e) {
            throw new ApiException(422, "cannot evaluate " + model + " v" + version + " on " + from + " .. " + to + ": "
                    + e.getMessage(), e);
        } catch (Exception e) {
            LOG.error("Evaluating {} v{} on {} .. {} failed", model, version, from, to, e);
            throw new ApiException(500, "evaluating " + model + " v" + version + " failed: " + e.getMessage(), e);
        }
        ctx.json(new EvaluationResult(model, version, from, to, result.testRows(), result.metrics(),
                result.championVersion(), result.champion(), result.againstVersion(), result.against(),
                result.lastValue(), result.seasonalValue(), result.decision().replace(), result.decision().reasons()));
    }
}
