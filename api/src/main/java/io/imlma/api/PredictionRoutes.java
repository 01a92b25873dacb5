package io.imlma.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.imlma.common.types.Prediction;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * POST /predict: the current champion's forecast of a meter's next H interval means (its horizon, e.g. a day of
 * 15-minute intervals) from its recent interval means. A single request is
 * {@code {meterId, recent: [oldest .. newest], issueTime?, model?}} ({@code issueTime}: start of the first forecast
 * interval, by default the interval in progress; {@code targetTime} is accepted for it, as earlier releases named
 * it); the answer carries {@code forecast: [{targetTime, value}, ...]}, one entry per step. Without {@code recent},
 * the answer is the latest forecast the streaming job issued for the meter, when this server follows the job's
 * forecasts ({@link IssuedForecasts}); {@code source} says which it is. A batch is
 * {@code {requests: [...]}} and is answered as {@code {predictions: [...]}} in the same order.
 */
final class PredictionRoutes {
    static final Duration INTERVAL = Duration.ofMinutes(15);

    static final String FROM_VALUES = "values sent";
    static final String FROM_JOB = "streaming job";

    /**
     * One forecast; {@code version} is the champion version that made it, {@code source} {@value #FROM_VALUES} or
     * {@value #FROM_JOB}, {@code scoredAt} when it was computed.
     */
    record Forecast(String meterId, String model, int version, Instant issueTime, int horizon, List<Step> forecast,
            String source, Instant scoredAt) {}

    /** One step of a forecast: the mean forecast for the interval starting at {@code targetTime}. */
    record Step(Instant targetTime, double value) {}

    private final ServedChampions champions;
    private final IssuedForecasts issued;
    private final String defaultModel;
    private final int maxBatch;
    private final Clock clock;

    /** @param issued the streaming job's forecasts, or null when this server does not follow them */
    PredictionRoutes(ServedChampions champions, IssuedForecasts issued, String defaultModel, int maxBatch,
            Clock clock) {
        this.champions = champions;
        this.issued = issued;
        this.defaultModel = defaultModel;
        this.maxBatch = maxBatch;
        this.clock = clock;
    }

    void register(Javalin app) {
        app.post("/predict", this::predict);
    }

    private void predict(Context ctx) {
        JsonNode body = Requests.object(ctx);
        JsonNode batch = body.get("requests");
        if (batch == null) {
            ctx.json(forecast(body, ""));
            return;
        }
        if (!batch.isArray() || batch.isEmpty()) {
            throw new ApiException(400, "field 'requests' must be a non-empty array of prediction requests");
        }
        if (batch.size() > maxBatch) {
            throw new ApiException(413, "at most " + maxBatch + " requests per batch, got " + batch.size());
        }
        List<Forecast> forecasts = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            JsonNode item = batch.get(i);
            String where = "requests[" + i + "]: ";
            if (!item.isObject()) {
                throw new ApiException(400, where + "must be a JSON object");
            }
            forecasts.add(forecast(item, where));
        }
        ctx.json(Map.of("predictions", forecasts));
    }

    private Forecast forecast(JsonNode request, String where) {
        try {
            String model = Requests.optionalText(request, "model", defaultModel);
            String meterId = Requests.text(request, "meterId");
            JsonNode recentNode = request.get("recent");
            if ((recentNode == null || recentNode.isNull()) && issued != null) {
                return issuedBy(model, meterId);
            }
            double[] recent = recentValues(request);
            Instant issue = Requests.optionalInstant(request, "issueTime");
            if (issue == null) {
                issue = Requests.optionalInstant(request, "targetTime");
            }
            if (issue == null) {
                issue = currentIntervalStart();
            }
            ServedChampions.Served champion = champions.champion(model);
            int needed = champion.artifact().requiredHistory();
            if (recent.length < needed) {
                throw new ApiException(422, "model '" + model + "' v" + champion.version().version() + " needs the last "
                        + needed + " interval means in 'recent' (oldest first), got " + recent.length);
            }
            double[] values = champion.artifact().forecast(recent, issue.toEpochMilli());
            List<Step> steps = new ArrayList<>(values.length);
            for (int k = 0; k < values.length; k++) {
                steps.add(new Step(issue.plus(INTERVAL.multipliedBy(k)), values[k]));
            }
            return new Forecast(meterId, model, champion.version().version(), issue, values.length, steps,
                    FROM_VALUES, clock.instant());
        } catch (ApiException e) {
            throw where.isEmpty() ? e : new ApiException(e.status(), where + e.getMessage(), e);
        }
    }

    private Forecast issuedBy(String model, String meterId) {
        Prediction p = issued.latest(model, meterId).orElseThrow(() -> new ApiException(404, "the streaming job has"
                + " issued no forecast of meter '" + meterId + "' by model '" + model + "' yet; send 'recent' (its"
                + " latest interval means, oldest first) to forecast from given values"));
        List<Step> steps = new ArrayList<>(p.horizon());
        for (int k = 0; k < p.horizon(); k++) {
            steps.add(new Step(Instant.ofEpochMilli(p.targetTime(k)), p.forecast()[k]));
        }
        return new Forecast(meterId, model, p.modelVersion(), Instant.ofEpochMilli(p.issueTime()), p.horizon(), steps,
                FROM_JOB, Instant.ofEpochMilli(p.scoredAt()));
    }

    private static double[] recentValues(JsonNode request) {
        JsonNode recent = request.get("recent");
        if (recent == null || recent.isNull()) {
            throw new ApiException(400, "field 'recent' is required: the meter's latest interval means, oldest first"
                    + " (this server does not follow the streaming job's forecasts)");
        }
        if (!recent.isArray() || recent.isEmpty()) {
            throw new ApiException(400, "field 'recent' must be a non-empty array of numbers, oldest first");
        }
        double[] values = new double[recent.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode value = recent.get(i);
            if (!value.isNumber()) {
                throw new ApiException(400, "recent[" + i + "] must be a number, got " + value);
            }
            values[i] = value.doubleValue();
        }
        return values;
    }

    /** Without a target time, the forecast is for the interval in progress, the first without a complete mean. */
    private Instant currentIntervalStart() {
        long now = clock.millis();
        return Instant.ofEpochMilli(now - Math.floorMod(now, INTERVAL.toMillis()));
    }
}
