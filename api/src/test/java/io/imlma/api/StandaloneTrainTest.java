package io.imlma.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imlma.common.config.Settings;
import io.imlma.common.json.Json;
import io.imlma.common.kafka.KafkaJsonProducer;
import io.imlma.common.kafka.KafkaOptions;
import io.imlma.common.kafka.Predictions;
import io.imlma.common.kafka.RetrainCommands;
import io.imlma.common.types.Prediction;
import io.imlma.registry.ModelStore;
import io.imlma.registry.jdbc.RegistryDataSource;
import io.imlma.testkit.KafkaBroker;
import io.imlma.testkit.KafkaBrokerExtension;
import io.imlma.testkit.KafkaRecords;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone server (as {@link ApiServer#main} starts it) publishes POST /train to the retrain-commands topic of
 * a real broker, as the retrain command the streaming job reads, and answers /predict for a meter the job serves
 * with the job's latest forecast from the predictions topic; without Kafka settings /train answers 503.
 */
@ExtendWith(KafkaBrokerExtension.class)
class StandaloneTrainTest {
    private static final String TOKEN = "standalone-token-0123456789";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void trainPublishesAManualRetrainCommand(KafkaBroker kafka) throws Exception {
        String topic = "api-retrain-commands-" + UUID.randomUUID();
        Map<String, String> settings = withTopic(kafka, RetrainCommands.TOPIC.key(), topic, 1);

        try (ApiServer server = ApiServer.standalone(new Settings(settings)).start()) {
            HttpResponse<String> unauthorized = train(server, null);
            assertThat(unauthorized.statusCode()).isEqualTo(401);
            HttpResponse<String> accepted = train(server, TOKEN);
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            JsonNode answer = Json.MAPPER.readTree(accepted.body());

            List<ConsumerRecord<String, String>> records = KafkaRecords.readCommitted(kafka.bootstrapServers(), topic,
                    1, TIMEOUT);
            assertThat(records).singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo("load-forecast");
                JsonNode command = Json.MAPPER.readTree(record.value());
                assertThat(command.path("modelName").asText()).isEqualTo("load-forecast");
                assertThat(command.path("reason").asText()).isEqualTo("MANUAL");
                assertThat(command.path("requestedBy").asText()).contains("bob")
                        .contains(answer.path("requestId").asText());
                assertThat(command.path("requestedAt").asLong())
                        .isEqualTo(Instant.parse(answer.path("requestedAt").asText()).toEpochMilli());
            });
        }
    }

    @Test
    void predictAnswersWithTheJobsLatestForecastOfAMeter(KafkaBroker kafka) throws Exception {
        String topic = "api-predictions-" + UUID.randomUUID();
        Map<String, String> settings = withTopic(kafka, Predictions.TOPIC.key(), topic, 2);
        long interval = 900_000L;
        long issued = Instant.parse("2016-09-01T12:00:00Z").toEpochMilli();

        try (ApiServer server = ApiServer.standalone(new Settings(settings)).start();
             KafkaJsonProducer job = new KafkaJsonProducer(kafka.bootstrapServers())) {
            job.send(topic, "ETTm1/HUFL", forecast(issued, interval, 4, 10.0));
            job.send(topic, "ETTm1/HUFL", forecast(issued - interval, interval, 3, 99.0)); // older, arrives later
            job.send(topic, "ETTm1/HUFL", "{\"not\": \"a forecast\"");

            HttpResponse<String> answer = Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .until(() -> predict(server, "{\"meterId\": \"ETTm1/HUFL\"}"), r -> r.statusCode() == 200);
            JsonNode forecast = Json.MAPPER.readTree(answer.body());
            assertThat(forecast.path("source").asText()).isEqualTo("streaming job");
            assertThat(forecast.path("version").asInt()).isEqualTo(4);
            assertThat(Instant.parse(forecast.path("issueTime").asText())).isEqualTo(Instant.ofEpochMilli(issued));
            assertThat(forecast.path("horizon").asInt()).isEqualTo(96);
            JsonNode steps = forecast.path("forecast");
            assertThat(steps).hasSize(96);
            for (int k = 0; k < 96; k++) {
                assertThat(Instant.parse(steps.get(k).path("targetTime").asText()))
                        .isEqualTo(Instant.ofEpochMilli(issued + k * interval));
                assertThat(steps.get(k).path("value").asDouble()).isEqualTo(10.0 + k);
            }
            HttpResponse<String> unknown = predict(server, "{\"meterId\": \"ETTm1/OT\"}");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("issued no forecast of meter 'ETTm1/OT'");
        }
    }

    /** A day-ahead forecast as the job's scorer issues it: step k forecasts {@code level + k}. */
    private static Prediction forecast(long issueTime, long interval, int version, double level) {
        double[] steps = new double[96];
        for (int k = 0; k < steps.length; k++) {
            steps[k] = level + k;
        }
        return new Prediction("ETTm1/HUFL", issueTime, interval, steps, "load-forecast", version, issueTime + 5,
                issueTime, issueTime, issueTime + 1);
    }

    private HttpResponse<String> predict(ApiServer server, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/predict"))
                .timeout(TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutKafkaTrainAnswers503SayingWhatToSet() throws Exception {
        try (ApiServer server = ApiServer.standalone(new Settings(settings())).start()) {
            HttpResponse<String> refused = train(server, TOKEN);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(Json.MAPPER.readTree(refused.body()).path("error").asText())
                    .contains("retraining is not available").contains(KafkaOptions.BOOTSTRAP_SERVERS.key());
        }
    }

    /** The server's settings with the broker and {@code topic}, created with {@code partitions}, as {@code key}. */
    private Map<String, String> withTopic(KafkaBroker kafka, String key, String topic, int partitions) {
        kafka.createTopic(topic, partitions);
        Map<String, String> settings = settings();
        settings.put(KafkaOptions.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
        settings.put(key, topic);
        return settings;
    }

    private Map<String, String> settings() {
        Map<String, String> settings = new HashMap<>();
        settings.put(RegistryDataSource.JDBC_URL.key(),
                RegistryDataSource.h2InMemory("standalone-" + UUID.randomUUID()));
        settings.put(ApiConfig.HOST.key(), "127.0.0.1");
        settings.put(ApiConfig.PORT.key(), "0");
        settings.put(ApiConfig.TOKEN.key(), TOKEN);
        settings.put(ModelStore.PATH.key(), dir.resolve("models").toUri().toString());
        settings.put(ModelStore.BACKUP_PATH.key(), dir.resolve("models-backup").toUri().toString());
        return settings;
    }

    private HttpResponse<String> train(ApiServer server, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/train"))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\": \"load-forecast\", \"requestedBy\": \"bob\", \"reason\": \"new meters\"}"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
