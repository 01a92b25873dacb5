package io.imlma.jobs.kafka;

import io.imlma.common.config.Settings;
import java.time.Duration;
import java.util.Map;

/**
 * Kafka side of the pipeline. Settings: {@code kafka.bootstrap.servers} (required), {@code kafka.topic.readings},
 * {@code kafka.topic.features}, {@code kafka.topic.dead-letters}, {@code kafka.group.id},
 * {@code kafka.transactional.id.prefix}, {@code kafka.transaction.timeout} (below the broker's
 * {@code transaction.max.timeout.ms}, 15 minutes by default), {@code kafka.starting-offsets}
 * (committed, earliest or latest), and any client property as {@code kafka.property.<name>}.
 */
public record KafkaPipelineConfig(
        String bootstrapServers,
        String readingsTopic,
        String featuresTopic,
        String deadLettersTopic,
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

    public static KafkaPipelineConfig from(Settings s) {
        Duration timeout = s.duration(TRANSACTION_TIMEOUT, Duration.ofMinutes(10));
        Settings.require(timeout.toMillis() > 0 && timeout.compareTo(BROKER_MAX_TRANSACTION_TIMEOUT) < 0,
                TRANSACTION_TIMEOUT, "must be positive and below the broker's maximum of 15min, got " + timeout);
        return new KafkaPipelineConfig(
                s.string(BOOTSTRAP_SERVERS),
                s.string("kafka.topic.readings", "meter-readings"),
                s.string("kafka.topic.features", "feature-rows"),
                s.string("kafka.topic.dead-letters", "dead-letters"),
                s.string("kafka.group.id", "imlma-meter-pipeline"),
                s.string("kafka.transactional.id.prefix", "imlma-meter-pipeline"),
                timeout,
                s.enumValue("kafka.starting-offsets", StartingOffsets.class, StartingOffsets.COMMITTED),
                s.withPrefix("kafka.property."));
    }
}
