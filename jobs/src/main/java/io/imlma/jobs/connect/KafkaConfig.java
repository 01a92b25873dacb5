package io.imlma.jobs.connect;

import io.imlma.common.config.Settings;
import io.imlma.common.kafka.RetrainCommands;
import java.time.Duration;
import java.util.Map;

/**
 * The streaming job's Kafka connection and topics. Settings: {@value #BOOTSTRAP_SERVERS} (required),
 * {@code kafka.topic.readings|features|dead-letters|predictions|alarms|retrain-requests} (defaults
 * {@code meter-readings}, {@code feature-rows}, {@code dead-letters}, {@code predictions}, {@code alarms},
 * {@code retrain-requests}), {@value #MODEL_UPDATES_TOPIC} ({@value #DEFAULT_MODEL_UPDATES_TOPIC}: RetrainJob
 * publishes there and the loop announces its new champions there), {@value RetrainCommands#TOPIC}
 * ({@value RetrainCommands#DEFAULT_TOPIC}), {@code kafka.group.id}, {@code kafka.transactional.id.prefix},
 * {@value #TRANSACTION_TIMEOUT} (below the broker's {@code transaction.max.timeout.ms}, 15 minutes by default),
 * {@code kafka.starting-offsets} (committed, earliest or latest), and any client property as
 * {@code kafka.property.<name>}.
 */
public record KafkaConfig(
        String bootstrapServers,
        String readingsTopic,
        String featuresTopic,
        String deadLettersTopic,
        String predictionsTopic,
        String alarmsTopic,
        String retrainRequestsTopic,
        String retrainCommandsTopic,
        String modelUpdatesTopic,
        String groupId,
        String transactionalIdPrefix,
        Duration transactionTimeout,
        StartingOffsets startingOffsets,
        Map<String, String> clientProperties) {

    /** Where a new consumer group starts; committed offsets fall back to earliest. */
    public enum StartingOffsets { COMMITTED, EARLIEST, LATEST }

    /** The broker's default {@code transaction.max.timeout.ms}. */
    public static final Duration BROKER_MAX_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    public static final String TRANSACTION_TIMEOUT = "kafka.transaction.timeout";
    public static final String PREDICTIONS_TOPIC = "kafka.topic.predictions";
    public static final String ALARMS_TOPIC = "kafka.topic.alarms";
    public static final String RETRAIN_REQUESTS_TOPIC = "kafka.topic.retrain-requests";
    public static final String MODEL_UPDATES_TOPIC = "kafka.topic.model-updates";
    public static final String DEFAULT_MODEL_UPDATES_TOPIC = "model-updates";

    public static KafkaConfig from(Settings s) {
        Duration timeout = s.duration(TRANSACTION_TIMEOUT, Duration.ofMinutes(10));
        Settings.require(timeout.toMillis() > 0 && timeout.compareTo(BROKER_MAX_TRANSACTION_TIMEOUT) < 0,
                TRANSACTION_TIMEOUT, "must be positive and below the broker's maximum of 15min, got " + timeout);
        return new KafkaConfig(
                s.string(BOOTSTRAP_SERVERS),
                s.string("kafka.topic.readings", "meter-readings"),
                s.string("kafka.topic.features", "feature-rows"),
                s.string("kafka.topic.dead-letters", "dead-letters"),
                s.string(PREDICTIONS_TOPIC, "predictions"),
                s.string(ALARMS_TOPIC, "alarms"),
                s.string(RETRAIN_REQUESTS_TOPIC, "retrain-requests"),
                RetrainCommands.topic(s),
                modelUpdatesTopic(s),
                s.string("kafka.group.id", "imlma-meter-pipeline"),
                s.string("kafka.transactional.id.prefix", "imlma-meter-pipeline"),
                timeout,
                s.enumValue("kafka.starting-offsets", StartingOffsets.class, StartingOffsets.COMMITTED),
                s.withPrefix("kafka.property."));
    }

    /** The topic new champions are announced on, also read by programs without the rest of the Kafka settings. */
    public static String modelUpdatesTopic(Settings s) {
        return s.string(MODEL_UPDATES_TOPIC, DEFAULT_MODEL_UPDATES_TOPIC);
    }
}
