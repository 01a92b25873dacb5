package io.imlma.jobs.connect;

import io.imlma.common.config.Catalogue;
import io.imlma.common.config.Option;
import io.imlma.common.config.Settings;
import io.imlma.common.kafka.KafkaOptions;
import io.imlma.common.kafka.ModelUpdates;
import io.imlma.common.kafka.Predictions;
import io.imlma.common.kafka.RetrainCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The streaming job's Kafka connection and topics; the settings and their defaults are {@link #OPTIONS} (listed in
 * docs/settings.md), and any Kafka client property can be given as {@code kafka.property.<name>}.
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

    /** Client properties passed through as they are: {@code kafka.property.<name>}. */
    public static final String CLIENT_PROPERTIES_PREFIX = "kafka.property.";

    public static final Option<Duration> TRANSACTION_TIMEOUT = Option.duration("kafka.transaction.timeout")
            .defaultValue(Duration.ofMinutes(10))
            .check(t -> t.toMillis() > 0 && t.compareTo(BROKER_MAX_TRANSACTION_TIMEOUT) < 0,
                    "must be positive and below the broker's maximum of 15min")
            .description("Timeout of the exactly-once sinks' transactions: longer than a checkpoint interval plus"
                    + " its timeout, below the broker's transaction.max.timeout.ms (15min by default).");
    public static final Option<String> READINGS_TOPIC = topic("readings", "meter-readings", "meter readings (input)");
    public static final Option<String> FEATURES_TOPIC = topic("features", "feature-rows", "feature rows");
    public static final Option<String> DEAD_LETTERS_TOPIC = topic("dead-letters", "dead-letters",
            "rejected input with the reason");
    public static final Option<String> PREDICTIONS_TOPIC = Predictions.TOPIC;
    public static final Option<String> ALARMS_TOPIC = topic("alarms", "alarms", "alarms");
    public static final Option<String> RETRAIN_REQUESTS_TOPIC = topic("retrain-requests", "retrain-requests",
            "the trigger's retrain requests");
    public static final Option<String> MODEL_UPDATES_TOPIC = ModelUpdates.TOPIC;
    public static final Option<String> GROUP_ID = Option.string("kafka.group.id").defaultValue("imlma-meter-pipeline")
            .description("Consumer group of the streaming job's sources.");
    public static final Option<String> TRANSACTIONAL_ID_PREFIX = Option.string("kafka.transactional.id.prefix")
            .defaultValue("imlma-meter-pipeline").description("Prefix of the exactly-once sinks' transactional ids.");
    public static final Option<StartingOffsets> STARTING_OFFSETS = Option
            .enumValue("kafka.starting-offsets", StartingOffsets.class).defaultValue(StartingOffsets.COMMITTED)
            .description("Where a new consumer group starts; committed offsets fall back to earliest.");
    public static final List<Option<?>> OPTIONS = List.of(KafkaOptions.BOOTSTRAP_SERVERS, TRANSACTION_TIMEOUT,
            READINGS_TOPIC, FEATURES_TOPIC, DEAD_LETTERS_TOPIC, PREDICTIONS_TOPIC, ALARMS_TOPIC,
            RETRAIN_REQUESTS_TOPIC, MODEL_UPDATES_TOPIC, RetrainCommands.TOPIC, GROUP_ID, TRANSACTIONAL_ID_PREFIX,
            STARTING_OFFSETS);

    /** Adds these settings to a program's catalogue, with the client properties' prefix. */
    public static Catalogue declare(Catalogue catalogue) {
        return catalogue.with(OPTIONS).prefix(CLIENT_PROPERTIES_PREFIX, "Kafka client properties, passed through.");
    }

    public static KafkaConfig from(Settings s) {
        return new KafkaConfig(
                KafkaOptions.BOOTSTRAP_SERVERS.value(s),
                READINGS_TOPIC.value(s),
                FEATURES_TOPIC.value(s),
                DEAD_LETTERS_TOPIC.value(s),
                PREDICTIONS_TOPIC.value(s),
                ALARMS_TOPIC.value(s),
                RETRAIN_REQUESTS_TOPIC.value(s),
                RetrainCommands.topic(s),
                modelUpdatesTopic(s),
                GROUP_ID.value(s),
                TRANSACTIONAL_ID_PREFIX.value(s),
                TRANSACTION_TIMEOUT.value(s),
                STARTING_OFFSETS.value(s),
                s.withPrefix(CLIENT_PROPERTIES_PREFIX));
    }

    private static Option<String> topic(String name, String defaultTopic, String what) {
        return Option.string("kafka.topic." + name).defaultValue(defaultTopic).description("Kafka topic of " + what + ".");
    }

    /** The topic new champions are announced on, also read by programs without the rest of the Kafka settings. */
    public static String modelUpdatesTopic(Settings s) {
        return MODEL_UPDATES_TOPIC.value(s);
    }
}
