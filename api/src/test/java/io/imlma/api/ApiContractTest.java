package io.imlma.api;

import static io.imlma.api.ApiFixture.MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.imlma.api.ApiFixture.Response;
import io.imlma.common.config.Settings;
import io.imlma.common.json.Json;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.ModelUpdate;
import io.imlma.common.types.Prediction;
import io.imlma.common.types.RetrainCommand;
import io.imlma.common.types.RetrainReason;
import io.imlma.common.types.Severity;
import io.imlma.ml.horizon.HorizonEvaluation;
import io.imlma.ml.horizon.ModelArtifact;
import io.imlma.ml.horizon.PersistenceModel;
import io.imlma.ml.horizon.Windows;
import io.imlma.registry.ModelVersion;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every endpoint over real HTTP against a server on a real registry and real model files: v1 champion, v2 a better
 * candidate, v3 another candidate. Subclasses choose the database.
 */
abstract class ApiContractTest {
    // ridge penalties, relative to the inputs' variance: 1000 all but ignores the inputs
    private static final Map<String, Double> WEAK = Map.of("l2", 1000.0);
    private static final Map<String, Double> STRONG = Map.of("l2", 1e-4);
    private static final Map<String, Double> OTHER = Map.of("l2", 1.0);
    /** The body's range for /evaluate: every row of the fixture's snapshot. */
    private static final String WHOLE_SNAPSHOT = ", \"from\": " + ApiFixture.START + ", \"to\": \""
            + Instant.ofEpochMilli(ApiFixture.START + ApiFixture.ROWS * ApiFixture.INTERVAL) + "\"}";

    @TempDir
    Path dir;

    ApiFixture api;

    protected abstract Settings createDatabase();

    protected abstract void dropDatabase();

    @BeforeEach
    void start() {
        api = new ApiFixture(createDatabase(), dir, true);
        api.registerTrained("run-1", WEAK, 1);
        api.registerTrained("run-2", STRONG, 2);
        api.registerTrained("run-3", OTHER, 3);
        api.registry.promote(MODEL, 1, "test", "first champion");
        api.recordTrials("run-1", 3);
        api.recordTrials("run-2", 5);
        api.registry.recordAlarm(alarm("a1", AlarmType.STABILITY, "2024-01-02T00:00:00Z"));
        api.registry.recordAlarm(alarm("a2", AlarmType.LATENCY, "2024-01-03T00:00:00Z"));
        api.registry.recordAlarm(alarm("a3", AlarmType.DRIFT, "2024-01-04T00:00:00Z"));
    }

    @AfterEach
    void stop() {
        api.close();
        dropDatabase();
    }

    // --- reading the registry ---

    @Test
    void healthAndModelList() {
        Response health = api.get("/healthz");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asText()).isEqualTo("ok");

        Response models = api.get("/models");
        assertThat(models.status()).isEqualTo(200);
        assertThat(models.json()).hasSize(1);
        assertThat(models.json().get(0).path("name").asText()).isEqualTo(MODEL);
        assertThat(models.json().get(0).path("champion").asInt()).isEqualTo(1);
        assertThat(models.json().get(0).path("versions").asInt()).isEqualTo(3);
    }

    @Test
    void versionsWithMetricsAndDeltas() {
        Response versions = api.get("/models/" + MODEL + "/versions");
        assertThat(versions.status()).isEqualTo(200);
        assertThat(versions.json()).hasSize(3);
        JsonNode v2 = versions.json().get(1);
        assertThat(v2.path("version").asInt()).isEqualTo(2);
        assertThat(v2.path("status").asText()).isEqualTo("CANDIDATE");
        double mae1 = api.artifacts.get(1).testMetrics().mae();
        double mae2 = api.artifacts.get(2).testMetrics().mae();
        assertThat(v2.path("metrics").path("mae").asDouble()).isEqualTo(mae2);
        assertThat(v2.path("deltaVsPrevious").path("mae").asDouble()).isEqualTo((mae2 - mae1) / Math.abs(mae1));

        Response one = api.get("/models/" + MODEL + "/versions/1");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().path("status").asText()).isEqualTo("CHAMPION");
        assertThat(one.json().path("artifactPath").asText()).isEqualTo(MODEL + "/run-1.json");
    }

    @Test
    void deltaVsChampionIsLikeForLikeAndEveryNumberSaysWhichRowsItIsOn() {
        // v1 is the champion: v4 is registered with v1 scored on v4's test rows, v5 as before that was kept
        api.registerTrained("run-4", STRONG, 4);
        api.registerUncompared("run-5", STRONG, 5);
        Windows test = api.windows().test();
        io.imlma.ml.eval.Metrics champion = HorizonEvaluation.of(api.artifacts.get(1).model(), test);
        io.imlma.ml.eval.Metrics own = api.artifacts.get(4).testMetrics();

        JsonNode versions = api.get("/models/" + MODEL + "/versions").json();
        JsonNode four = versions.get(3);
        assertThat(four.path("version").asInt()).isEqualTo(4);
        assertThat(four.path("championAtRegistration").asInt()).isEqualTo(1);
        assertMetrics(four.path("championMetrics"), champion, false);
        assertThat(four.path("deltaVsChampion").path("baseVersion").asInt()).isEqualTo(1);
        assertThat(four.path("deltaVsChampion").path("mae").asDouble())
                .isCloseTo((own.mae() - champion.mae()) / champion.mae(), within(1e-12));
        assertThat(four.path("deltaVsChampion").path("mse").asDouble())
                .isCloseTo((own.mse() - champion.mse()) / champion.mse(), within(1e-12));
        assertThat(four.path("testRows").path("count").asInt()).isEqualTo(test.size());
        assertThat(Instant.parse(four.path("testRows").path("firstTarget").asText()))
                .isEqualTo(Instant.ofEpochMilli(test.issueTime(0)));
        assertThat(Instant.parse(four.path("testRows").path("lastTarget").asText()))
                .isEqualTo(lastTargetOf(test));
        assertThat(four.path("computedOn").path("metrics").asText()).contains(test.size() + " rows");
        assertThat(four.path("computedOn").path("deltaVsChampion").asText())
                .isEqualTo("v4 and champion v1 both on v4's test rows, as the replacement decision compared them");
        assertThat(four.path("computedOn").path("deltaVsPrevious").asText()).contains("different test windows");
        assertThat(four.path("deltaVsPrevious").path("baseVersion").asInt()).isEqualTo(3);

        JsonNode five = versions.get(4);
        assertThat(five.hasNonNull("deltaVsChampion")).as("no ΔM from metrics on other rows").isFalse();
        assertThat(five.hasNonNull("testRows")).isFalse();
        assertThat(five.path("championAtRegistration").asInt()).isEqualTo(1);
        assertThat(five.path("computedOn").path("deltaVsChampion").asText())
                .startsWith("not measured on the same rows: champion v1");
        assertThat(versions.get(1).path("computedOn").path("deltaVsChampion").asText())
                .isEqualTo("no champion to compare with");
        assertThat(api.get("/models/" + MODEL + "/versions/4").json()).isEqualTo(four);

        JsonNode sameRows = api.get("/models/" + MODEL + "/compare?a=1&b=4").json();
        assertThat(sameRows.path("sameTestRows").asBoolean()).isTrue();
        assertThat(sameRows.path("b").path("computedOn").path("deltaVsChampion").asText()).startsWith("v4 and");
        JsonNode otherRows = api.get("/models/" + MODEL + "/compare?a=1&b=5").json();
        assertThat(otherRows.path("sameTestRows").asBoolean()).isFalse();
        assertThat(otherRows.path("computedOn").asText()).contains("not measured on the same rows");
    }

    @Test
    void unknownModelsAndVersionsAre404AndBadNumbers400() {
        assertError(api.get("/models/" + MODEL + "/versions/99"), 404, "has no version 99");
        assertError(api.get("/models/nope/versions"), 404, "no model named 'nope'");
        assertError(api.get("/models/nope/versions/1"), 404, "model 'nope' has no version 1");
        assertError(api.get("/models/" + MODEL + "/versions/abc"), 400, "must be an integer, got 'abc'");
        assertError(api.get("/models/" + MODEL + "/compare?a=1&b=42"), 404, "has no version 42");
        assertError(api.get("/nothing-here"), 404, "no such endpoint: GET /nothing-here");
    }

    @Test
    void compareGivesPerMetricDeltas() {
        Response compare = api.get("/models/" + MODEL + "/compare?a=1&b=2");
        assertThat(compare.status()).isEqualTo(200);
        io.imlma.ml.eval.Metrics a = api.artifacts.get(1).testMetrics();
        io.imlma.ml.eval.Metrics b = api.artifacts.get(2).testMetrics();
        assertThat(compare.json().path("delta").path("mse").asDouble()).isEqualTo((b.mse() - a.mse()) / Math.abs(a.mse()));
        assertThat(compare.json().path("delta").path("r2").asDouble()).isEqualTo((b.r2() - a.r2()) / Math.abs(a.r2()));
        assertThat(compare.json().path("b").path("version").asInt()).isEqualTo(2);

        assertError(api.get("/models/" + MODEL + "/compare?a=1"), 400, "query parameter 'b' is required");
    }

    @Test
    void trialsByRunOrVersion() {
        Response run2 = api.get("/models/" + MODEL + "/trials?run=run-2");
        assertThat(run2.status()).isEqualTo(200);
        assertThat(run2.json()).hasSize(5);
        assertThat(run2.json().get(4).path("trialNo").asInt()).isEqualTo(5);
        assertThat(api.get("/models/" + MODEL + "/trials?version=1").json()).hasSize(3);
        assertThat(api.get("/models/" + MODEL + "/trials?version=3").json()).isEmpty();
        assertError(api.get("/models/" + MODEL + "/trials"), 400, "name the training run");
    }

    @Test
    void alarmsByTimeRangeAndLimit() {
        Response all = api.get("/alarms");
        assertThat(all.status()).isEqualTo(200);
        assertThat(ids(all.json())).containsExactly("a1", "a2", "a3");
        assertThat(ids(api.get("/alarms?from=2024-01-02T12:00:00Z&to=2024-01-04T00:00:00Z").json()))
                .containsExactly("a2");
        long from = Instant.parse("2024-01-03T00:00:00Z").toEpochMilli();
        assertThat(ids(api.get("/alarms?from=" + from).json())).containsExactly("a2", "a3");
        assertThat(ids(api.get("/alarms?limit=2").json())).containsExactly("a1", "a2");
        assertError(api.get("/alarms?from=yesterday"), 400, "ISO-8601");
        assertError(api.get("/alarms?limit=0"), 400, "'limit' must be between 1 and");
        assertError(api.get("/alarms?from=2024-01-05T00:00:00Z&to=2024-01-01T00:00:00Z"), 400, "must be before");
    }

    @Test
    void alarmsShowWhetherTheirEpisodeIsActiveOrResolved() {
        long raisedAt = Instant.parse("2024-01-02T00:00:00Z").toEpochMilli();
        Alarm renotify = new Alarm("a1", AlarmType.STABILITY, Severity.CRITICAL, "meter-1", 1, 3.0, 1.0,
                raisedAt + 3_600_000L, "still active: STABILITY alarm a1");
        Alarm clear = new Alarm("a1", AlarmType.STABILITY, Severity.INFO, "meter-1", 1, 0.5, 1.0,
                raisedAt + 7_200_000L, "resolved: back under the threshold");
        assertThat(api.registry.recordAlarm(renotify)).isTrue();
        assertThat(api.registry.recordAlarm(clear)).isTrue();

        assertThat(ids(api.get("/alarms?status=active").json())).containsExactly("a2", "a3");
        JsonNode resolved = api.get("/alarms?status=RESOLVED").json();
        assertThat(ids(resolved)).containsExactly("a1");
        JsonNode a1 = resolved.get(0);
        assertThat(a1.path("status").asText()).isEqualTo("RESOLVED");
        assertThat(a1.path("time").asLong()).isEqualTo(raisedAt);
        assertThat(a1.path("severity").asText()).as("the raise's severity").isEqualTo("WARNING");
        assertThat(a1.path("lastNotifiedAt").asLong()).isEqualTo(renotify.time());
        assertThat(a1.path("lastValue").asDouble()).isEqualTo(3.0);
        assertThat(a1.path("clearedAt").asLong()).isEqualTo(clear.time());
        assertThat(a1.path("resolution").asText()).isEqualTo(clear.message());
        assertThat(api.get("/alarms").json().get(1).path("status").asText()).isEqualTo("ACTIVE");
        assertThat(api.get("/alarms").json().get(1).path("clearedAt").isNull()).isTrue();
        assertError(api.get("/alarms?status=open"), 400, "'status' must be 'active' or 'resolved'");
    }

    // --- predictions ---

    @Test
    void predictsWithTheChampionSingleAndBatch() {
        Response single = api.post("/predict", predictBody(500), null);
        assertThat(single.status()).isEqualTo(200);
        assertThat(single.json().path("version").asInt()).isEqualTo(1);
        assertThat(single.json().path("meterId").asText()).isEqualTo("meter-1");
        assertForecast(single.json(), 1, 500);
        assertThat(single.json().path("issueTime").asText())
                .isEqualTo(Instant.ofEpochMilli(api.windowStart(500)).toString());
        assertThat(single.json().path("horizon").asInt()).isEqualTo(ApiFixture.SPEC.horizon());

        String batch = "{\"requests\": [" + predictBody(300) + ", " + predictBody(700) + "]}";
        Response both = api.post("/predict", batch, null);
        assertThat(both.status()).isEqualTo(200);
        JsonNode predictions = both.json().path("predictions");
        assertThat(predictions).hasSize(2);
        assertForecast(predictions.get(0), 1, 300);
        assertForecast(predictions.get(1), 1, 700);
    }

    @Test
    void predictRefusesBadInputWithReasons() {
        assertError(api.post("/predict", "{\"meterId\": \"m\", \"recent\": [1, 2", null), 400, "malformed JSON");
        assertError(api.post("/predict", "", null), 400, "needs a JSON object body");
        assertError(api.post("/predict", "[1, 2]", null), 400, "must be a JSON object, got array");
        assertError(api.post("/predict", "{\"recent\": [1, 2, 3, 4]}", null), 400, "field 'meterId' is required");
        assertError(api.post("/predict", "{\"meterId\": \"m\"}", null), 404,
                "the streaming job has issued no forecast of meter 'm'");
        assertError(api.post("/predict", "{\"meterId\": \"m\", \"recent\": [1, \"x\", 3, 4]}", null), 400,
                "recent[1] must be a number");
        assertError(api.post("/predict", "{\"meterId\": \"m\", \"recent\": [1, 2, 3, 4], \"targetTime\": \"soon\"}",
                null), 400, "'targetTime' must be an ISO-8601 time");
        assertError(api.post("/predict", "{\"meterId\": \"m\", \"recent\": [1, 2]}", null), 422,
                "needs the last 4 interval means in 'recent' (oldest first), got 2");
        assertError(api.post("/predict", "{\"requests\": [" + predictBody(300) + ", {\"recent\": [1, 2, 3, 4]}]}",
                null), 400, "requests[1]: field 'meterId' is required");
        assertError(api.post("/predict", "{\"requests\": []}", null), 400, "non-empty array");
        assertError(api.post("/predict", "{\"model\": \"nope\", \"meterId\": \"m\", \"recent\": [1, 2, 3, 4]}", null),
                404, "no model named 'nope'");
    }

    @Test
    void predictWithoutValuesAnswersWithTheJobsLatestForecastOfTheMeter() throws Exception {
        long issue = api.windowStart(500);
        api.issued.accept(new Prediction("meter-1", issue, ApiFixture.INTERVAL, new double[] {1, 2, 3, 4}, MODEL, 1,
                issue + 10, issue, issue, issue + 5));
        api.issued.accept(new Prediction("meter-1", issue - ApiFixture.INTERVAL, ApiFixture.INTERVAL,
                new double[] {9, 9, 9, 9}, MODEL, 1, issue + 20, issue, issue, issue + 5)); // older, arrived later

        Response latest = api.post("/predict", "{\"meterId\": \"meter-1\"}", null);
        assertThat(latest.status()).as(latest.text()).isEqualTo(200);
        assertThat(latest.json().path("source").asText()).isEqualTo("streaming job");
        assertThat(latest.json().path("scoredAt").asText()).isEqualTo(Instant.ofEpochMilli(issue + 10).toString());
        JsonNode steps = latest.json().path("forecast");
        assertThat(steps).hasSize(4);
        for (int k = 0; k < 4; k++) {
            assertThat(steps.get(k).path("value").asDouble()).isEqualTo(k + 1.0);
            assertThat(steps.get(k).path("targetTime").asText())
                    .isEqualTo(Instant.ofEpochMilli(api.windowStart(500 + k)).toString());
        }
        assertThat(api.post("/predict", predictBody(500), null).json().path("source").asText())
                .isEqualTo("values sent");
        try (ApiServer bare = ApiServer.open(new Settings(api.serverSettings), null, null, null).start()) {
            HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest
                    .newBuilder(URI.create("http://127.0.0.1:" + bare.port() + "/predict"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"meterId\": \"meter-1\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("does not follow the streaming job's forecasts");
        }
    }

    @Test
    void predictFollowsPromotionAndRollbackThroughTheApi() {
        Response promoted = api.post("/models/" + MODEL + "/versions/2/promote",
                "{\"by\": \"alice\", \"reason\": \"better\"}");
        assertThat(promoted.status()).isEqualTo(200);
        assertThat(promoted.json().path("announced").asBoolean()).as("the streaming job told").isTrue();
        assertServedVersion(2);

        Response rollback = api.post("/models/" + MODEL + "/rollback", "");
        assertThat(rollback.status()).isEqualTo(200);
        assertThat(rollback.json().path("toVersion").asInt()).isEqualTo(1);
        assertThat(rollback.json().path("kind").asText()).isEqualTo("ROLLBACK");
        assertServedVersion(1);

        Response rollbackTo = api.post("/models/" + MODEL + "/rollback", "{\"toVersion\": 3}");
        assertThat(rollbackTo.status()).isEqualTo(200);
        assertServedVersion(3);

        // the streaming job's scorer is told each new champion, with its file and a time no older than the last
        assertThat(api.announced).extracting(ModelUpdate::version).containsExactly(2, 1, 3);
        assertThat(api.announced.get(2)).isEqualTo(api.registry.version(MODEL, 3).championUpdate());
        assertThat(api.announced.get(2).artifactPath()).isEqualTo(api.registry.version(MODEL, 3).artifactPath());
        assertThat(api.announced).extracting(ModelUpdate::publishedAt).isSorted();

        Response history = api.get("/models/" + MODEL + "/promotions");
        assertThat(history.json()).hasSize(4);
        assertThat(history.json().get(1).path("by").asText()).isEqualTo("alice");
        assertThat(history.json().get(1).path("reason").asText()).isEqualTo("better");
    }

    @Test
    void predictFollowsAChampionChangedElsewhere() {
        assertServedVersion(1);
        api.registry.promote(MODEL, 2, "retraining job", "better candidate");
        // the server asks the registry again after its recheck interval (100 ms here)
        Response served = pollUntil(() -> api.post("/predict", predictBody(500), null),
                r -> r.json().path("version").asInt() == 2, Duration.ofSeconds(10));
        assertForecast(served.json(), 2, 500);
        api.registry.rollback(MODEL, "operator", "bad in production");
        pollUntil(() -> api.post("/predict", predictBody(500), null), r -> r.json().path("version").asInt() == 1,
                Duration.ofSeconds(10));
    }

    // --- changes to the registry ---

    @Test
    void promoteRollbackArchiveConflicts() {
        assertError(api.post("/models/" + MODEL + "/versions/1/promote", ""), 409, "already the champion");
        assertError(api.post("/models/" + MODEL + "/versions/9/promote", ""), 404, "has no version 9");
        assertError(api.post("/models/" + MODEL + "/rollback", ""), 409, "no earlier champion");
        assertError(api.post("/models/" + MODEL + "/rollback", "{\"toVersion\": \"two\"}"), 400,
                "field 'toVersion' must be an integer");
        assertError(api.post("/models/" + MODEL + "/versions/1/archive", ""), 409, "only candidates and rejected");
        assertError(api.post("/models/" + MODEL + "/versions/2/promote", "{\"by\": "), 400, "malformed JSON");

        Response archived = api.post("/models/" + MODEL + "/versions/3/archive", "{\"reason\": \"superseded\"}");
        assertThat(archived.status()).isEqualTo(200);
        assertThat(archived.json().path("status").asText()).isEqualTo("ARCHIVED");
        assertThat(api.get("/models/" + MODEL + "/versions/3").json().path("status").asText()).isEqualTo("ARCHIVED");
    }

    @Test
    void changesNeedTheToken() {
        List<String[]> calls = List.of(
                new String[] {"/models/" + MODEL + "/versions/2/promote", ""},
                new String[] {"/models/" + MODEL + "/rollback", "{\"toVersion\": 2}"},
                new String[] {"/models/" + MODEL + "/versions/3/archive", ""},
                new String[] {"/train", "{\"model\": \"" + MODEL + "\"}"},
                new String[] {"/evaluate", "{\"model\": \"" + MODEL + "\", \"version\": 1, \"from\": 0, \"to\": 1}"});
        for (String[] call : calls) {
            Response missing = api.post(call[0], call[1], null);
            assertError(missing, 401, "needs an 'Authorization: Bearer <token>' header");
            assertThat(missing.raw().headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertError(api.post(call[0], call[1], "wrong-token"), 401, "bearer token is not valid");
        }
        assertThat(api.registry.champion(MODEL).orElseThrow().version()).isEqualTo(1);
        assertThat(api.registry.version(MODEL, 3).status().name()).isEqualTo("CANDIDATE");
        assertThat(api.retrainRequests).isEmpty();
    }

    // --- train, evaluate ---

    @Test
    void trainHandsTheRequestToTheLauncher() {
        Response accepted = api.post("/train", "{\"model\": \"" + MODEL + "\", \"requestedBy\": \"bob\","
                + " \"reason\": \"new meters\"}");
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(api.retrainRequests).hasSize(1);
        RetrainCommand request = api.retrainRequests.get(0);
        assertThat(request.modelName()).isEqualTo(MODEL);
        assertThat(request.requestedBy()).isEqualTo("bob (" + accepted.json().path("requestId").asText() + ")");
        assertThat(request.reason()).isEqualTo(RetrainReason.MANUAL);
        assertThat(request.requestedAt())
                .isEqualTo(Instant.parse(accepted.json().path("requestedAt").asText()).toEpochMilli());

        assertError(api.post("/train", "{}"), 400, "field 'model' is required");
        assertError(api.post("/train", "{\"model\": \"../etc\"}"), 400, "field 'model' must be letters");
        assertError(api.post("/train", "{\"model\": 5"), 400, "malformed JSON");
        assertThat(api.retrainRequests).hasSize(1);
    }

    @Test
    void evaluateScoresAVersionOnTheSnapshotNextToTheChampionAndTheBaselines() {
        // what the fixture computed when it trained the models: the meter's newest 15 %, the rows a retraining
        // over the whole range tests on
        Windows test = api.windows().test();
        io.imlma.ml.eval.Metrics strong = api.artifacts.get(2).testMetrics();
        io.imlma.ml.eval.Metrics weakChampion = api.artifacts.get(1).testMetrics();
        io.imlma.ml.eval.Metrics lastValue = HorizonEvaluation.of(
                new PersistenceModel(ApiFixture.SPEC.withInputLength(1)), test);

        JsonNode v2 = evaluate(2, WHOLE_SNAPSHOT);
        assertThat(v2.path("version").asInt()).isEqualTo(2);
        assertMetrics(v2.path("metrics"), strong);
        assertThat(v2.path("metrics").path("count").asInt()).as("every step of every test window").isEqualTo(test.size() * ApiFixture.SPEC.horizon());
        assertThat(v2.path("championVersion").asInt()).isEqualTo(1);
        assertMetrics(v2.path("champion"), weakChampion);
        assertMetrics(v2.path("lastValue"), lastValue);
        assertThat(v2.path("seasonalValue").isNull()).as("the model reads less than a day").isTrue();
        assertThat(strong.mae()).as("the weakly trained champion is worse").isLessThan(weakChampion.mae());
        assertThat(v2.path("wouldReplaceChampion").asBoolean()).isTrue();

        assertThat(v2.path("testRows").path("count").asInt()).isEqualTo(test.size());
        assertThat(Instant.parse(v2.path("testRows").path("firstTarget").asText()))
                .isEqualTo(Instant.ofEpochMilli(test.issueTime(0)));
        assertThat(v2.hasNonNull("against")).isFalse();

        // another version in the champion's place, on the same rows: what the page's comparison shows
        JsonNode v2AgainstV3 = evaluate(2, ", \"against\": 3" + WHOLE_SNAPSHOT);
        assertMetrics(v2AgainstV3.path("metrics"), strong);
        assertThat(v2AgainstV3.path("againstVersion").asInt()).isEqualTo(3);
        assertMetrics(v2AgainstV3.path("against"), api.artifacts.get(3).testMetrics());
        assertMetrics(v2AgainstV3.path("champion"), weakChampion);
        assertThat(v2AgainstV3.path("testRows")).isEqualTo(v2.path("testRows"));
        assertError(api.post("/evaluate", "{\"model\": \"" + MODEL + "\", \"version\": 2, \"against\": 9"
                + WHOLE_SNAPSHOT), 404, "has no version 9");

        JsonNode v1 = evaluate(1, WHOLE_SNAPSHOT);
        assertMetrics(v1.path("metrics"), weakChampion);
        assertMetrics(v1.path("champion"), weakChampion);
        assertThat(v1.path("wouldReplaceChampion").asBoolean()).as("the champion does not replace itself").isFalse();

        String firstDay = ", \"from\": \"2024-01-01T00:00:00Z\", \"to\": \"2024-01-02T00:00:00Z\"}";
        assertError(api.post("/evaluate", "{\"model\": \"" + MODEL + "\", \"version\": 2" + firstDay), 422,
                "no meter has enough history");
        assertError(api.post("/evaluate", "{\"model\": \"" + MODEL + "\", \"version\": 2, \"from\": 0, \"to\": 1}"),
                422, "cannot evaluate");
        assertError(api.post("/evaluate", "{\"model\": \"" + MODEL + "\", \"version\": 7, \"from\": 0, \"to\": 1}"),
                404, "has no version 7");
        assertError(api.post("/evaluate", "{\"model\": \"" + MODEL + "\", \"version\": 2, \"from\": 5, \"to\": 1}"),
                400, "must be before");
        assertError(api.post("/evaluate", "{\"model\": \"" + MODEL + "\", \"version\": 2, \"to\": 1}"),
                400, "field 'from' is required");
    }

    @Test
    void evaluateWithoutSnapshotsIsUnavailable() throws Exception {
        try (ApiServer bare = ApiServer.open(new Settings(api.serverSettings), null, null, null).start()) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + bare.port() + "/evaluate"))
                    .header("Authorization", "Bearer " + ApiFixture.TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"" + MODEL + "\", \"version\": 2"
                            + WHOLE_SNAPSHOT)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(Json.MAPPER.readTree(response.body()).path("error").asText())
                    .contains("no snapshots to evaluate on (set snapshot.path and snapshot.backup-path)");
        }
    }

    @Test
    void aPromotionWithoutAStreamingJobSaysItWasNotAnnounced() throws Exception {
        try (ApiServer bare = ApiServer.open(new Settings(api.serverSettings), null, null, null).start()) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + bare.port() + "/models/" + MODEL + "/versions/2/promote"))
                    .header("Authorization", "Bearer " + ApiFixture.TOKEN)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode answer = Json.MAPPER.readTree(response.body());
            assertThat(answer.path("toVersion").asInt()).isEqualTo(2);
            assertThat(answer.path("announced").asBoolean()).isFalse();
            assertThat(answer.path("announceError").asText()).contains("no streaming job is connected");
        }
        assertThat(api.announced).as("nothing told through the other server").isEmpty();
    }

    private JsonNode evaluate(int version, String range) {
        Response result = api.post("/evaluate", "{\"model\": \"" + MODEL + "\", \"version\": " + version + range);
        assertThat(result.status()).as(result.text()).isEqualTo(200);
        return result.json();
    }

    private static void assertMetrics(JsonNode actual, io.imlma.ml.eval.Metrics expected) {
        assertMetrics(actual, expected, true);
    }

    /** @param withCount whether {@code actual} has the row count (the registry's stored metrics have not) */
    private static void assertMetrics(JsonNode actual, io.imlma.ml.eval.Metrics expected, boolean withCount) {
        if (withCount) {
            assertThat(actual.path("count").asInt()).isEqualTo(expected.count());
        }
        assertThat(actual.path("mse").asDouble()).isCloseTo(expected.mse(), within(1e-12));
        assertThat(actual.path("mae").asDouble()).isCloseTo(expected.mae(), within(1e-12));
        assertThat(actual.path("r2").asDouble()).isCloseTo(expected.r2(), within(1e-12));
    }

    // --- integrity of model files ---

    @Test
    void corruptChampionFileIsRestoredFromBackupAndServed() throws Exception {
        ModelVersion v2 = api.registry.version(MODEL, 2);
        Path primary = Path.of(api.store.primary(v2.artifactPath()).toUri());
        byte[] good = Files.readAllBytes(primary);
        Files.writeString(primary, "{\"formatVersion\": 1, \"tampered\": true}");

        Response promoted = api.post("/models/" + MODEL + "/versions/2/promote", "");
        assertThat(promoted.status()).isEqualTo(200);
        assertServedVersion(2);
        assertThat(Files.readAllBytes(primary)).isEqualTo(good);
        assertThat(api.get("/alarms").json()).anySatisfy(a -> {
            assertThat(a.path("type").asText()).isEqualTo("INTEGRITY");
            assertThat(a.path("severity").asText()).isEqualTo("WARNING");
            assertThat(a.path("message").asText()).contains(v2.artifactPath());
        });
    }

    @Test
    void corruptFileWithBadBackupIsNotServed() throws Exception {
        ModelVersion v2 = api.registry.version(MODEL, 2);
        corrupt(api.store.primary(v2.artifactPath()).toUri());
        corrupt(api.store.backup(v2.artifactPath()).toUri());

        assertError(api.post("/models/" + MODEL + "/versions/2/promote", ""), 409, "backup could not repair it");
        assertServedVersion(1);

        // a champion whose files went bad before this server loaded it: refused with 503, v1 serves after rollback
        ModelVersion v3 = api.registry.version(MODEL, 3);
        api.registry.promote(MODEL, 3, "retraining job", "better");
        corrupt(api.store.primary(v3.artifactPath()).toUri());
        corrupt(api.store.backup(v3.artifactPath()).toUri());
        Response refused = pollUntil(() -> api.post("/predict", predictBody(500), null), r -> r.status() == 503,
                Duration.ofSeconds(10));
        assertThat(refused.json().path("error").asText())
                .contains("the champion of '" + MODEL + "' (v3) cannot be served", "integrity check failed");
        assertThat(api.get("/alarms").json()).anySatisfy(a ->
                assertThat(a.path("severity").asText()).isEqualTo("CRITICAL"));

        assertThat(api.post("/models/" + MODEL + "/rollback", "").status()).isEqualTo(200);
        assertServedVersion(1);
    }

    // --- metrics ---

    @Test
    void metricsCountRequestsByRouteAndStatus() {
        api.post("/predict", predictBody(500), null);
        api.post("/predict", predictBody(500), null);
        api.post("/predict", "{}", null);
        api.get("/models/" + MODEL + "/versions/2");
        api.get("/nothing-here");
        assertThat(api.get("/").status()).isEqualTo(200);

        Response metrics = api.get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.raw().headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(metrics.text())
                .contains("imlma_api_requests_total{method=\"POST\",route=\"/predict\",status=\"200\"} 2.0")
                .contains("imlma_api_requests_total{method=\"POST\",route=\"/predict\",status=\"400\"} 1.0")
                .contains("imlma_api_requests_total{method=\"GET\",route=\"/models/{name}/versions/{version}\","
                        + "status=\"200\"} 1.0")
                .contains("imlma_api_requests_total{method=\"GET\",route=\"other\",status=\"404\"} 1.0")
                .contains("imlma_api_requests_total{method=\"GET\",route=\"other\",status=\"200\"}")
                .contains("imlma_api_request_duration_seconds_bucket{method=\"POST\",route=\"/predict\",le=\"+Inf\"} 3")
                .contains("# TYPE imlma_api_request_duration_seconds histogram");
    }

    @Test
    void metricsIncludeTheJvmsOwn() {
        assertThat(api.get("/metrics").text())
                .containsPattern("jvm_memory_used_bytes\\{area=\"heap\"} [0-9.E]+")
                .contains("jvm_gc_collection_seconds_count")
                .containsPattern("jvm_threads_current [0-9.E]+")
                .contains("jvm_classes_currently_loaded");
    }

    // --- helpers ---

    private String predictBody(int index) {
        return Json.write(Map.of("meterId", "meter-1", "recent", api.recentBefore(index),
                "issueTime", Instant.ofEpochMilli(api.windowStart(index)).toString()));
    }

    private double[] expectedForecast(int version, int index) {
        ModelArtifact artifact = api.artifacts.get(version);
        return artifact.forecast(api.recentBefore(index), api.windowStart(index));
    }

    /** {@code prediction} is {@code version}'s forecast from row {@code index} on: step k for row index + k. */
    private void assertForecast(JsonNode prediction, int version, int index) {
        double[] expected = expectedForecast(version, index);
        JsonNode steps = prediction.path("forecast");
        assertThat(steps).hasSize(ApiFixture.SPEC.horizon());
        for (int k = 0; k < expected.length; k++) {
            assertThat(steps.get(k).path("value").asDouble()).isEqualTo(expected[k]);
            assertThat(Instant.parse(steps.get(k).path("targetTime").asText()))
                    .isEqualTo(Instant.ofEpochMilli(api.windowStart(index + k)));
        }
    }

    private static Instant lastTargetOf(Windows test) {
        return Instant.ofEpochMilli(test.issueTime(test.size() - 1)
                + (ApiFixture.SPEC.horizon() - 1) * ApiFixture.INTERVAL);
    }

    /** The very next prediction comes from {@code version}, with that version's forecast. */
    private void assertServedVersion(int version) {
        Response response = api.post("/predict", predictBody(500), null);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.json().path("version").asInt()).isEqualTo(version);
        assertForecast(response.json(), version, 500);
    }

    private static void assertError(Response response, int status, String messagePart) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.json().path("status").asInt()).isEqualTo(status);
        assertThat(response.json().path("error").asText()).contains(messagePart);
    }

    private static void corrupt(java.net.URI file) throws Exception {
        Files.write(Path.of(file), "garbage".getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> ids(JsonNode alarms) {
        return java.util.stream.StreamSupport.stream(alarms.spliterator(), false)
                .map(a -> a.path("alarmId").asText()).toList();
    }

    private static Alarm alarm(String id, AlarmType type, String time) {
        return new Alarm(id, type, Severity.WARNING, "meter-1", 1, 2.0, 1.0, Instant.parse(time).toEpochMilli(),
                type + " alarm " + id);
    }

    private static Response pollUntil(Supplier<Response> call, Predicate<Response> done, Duration timeout) {
        return await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .until(call::get, done);
    }
}
