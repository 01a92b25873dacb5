package io.imlma.jobs.kafka;

import io.imlma.common.config.Settings;
import io.imlma.testkit.KafkaBroker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Readings as the Kafka source expects them, and a Kafka configuration with topics of a test's own. */
public final class TestTopics {
    public static final long T0 = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    public static final long MINUTE = 60_000;
    public static final long INTERVAL = 15 * MINUTE;

    private TestTopics() {}

    /** A JSON reading of {@code meter} at {@code T0 + minute}; the value is written as given (e.g. "1e999"). */
    public static String reading(String meter, long minute, String value) {
        return "{\"meterId\":\"" + meter + "\",\"timestamp\":" + (T0 + minute * MINUTE) + ",\"value\":" + value + "}";
    }

    /**
     * Kafka settings whose topics, consumer group and transactional ids all start with {@code name}, so tests sharing
     * a broker never see each other's records or fence each other's producers; a random suffix keeps a repeated test
     * apart from its earlier runs. Creates the three topics.
     */
    public static KafkaPipelineConfig create(KafkaBroker broker, String testName, int readingPartitions,
            String... moreSettings) {
        String name = testName + "-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> args = new ArrayList<>(List.of(
                "--" + KafkaPipelineConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers(),
                "--kafka.topic.readings", name + "-readings",
                "--kafka.topic.features", name + "-features",
                "--kafka.topic.dead-letters", name + "-dead-letters",
                "--kafka.group.id", name,
                "--kafka.transactional.id.prefix", name));
        args.addAll(List.of(moreSettings));
        KafkaPipelineConfig config = KafkaPipelineConfig.from(Settings.fromArgs(args.toArray(String[]::new)));
        broker.createTopic(config.readingsTopic(), readingPartitions);
        broker.createTopic(config.featuresTopic(), 2);
        broker.createTopic(config.deadLettersTopic(), 1);
        return config;
    }
}
