package io.imlma.common.kafka;

import io.imlma.common.config.Option;
import io.imlma.common.config.Settings;
import io.imlma.common.types.ModelUpdate;
import java.util.List;

/**
 * The topic of model updates ({@link #TOPIC}): a model's new champion, JSON {@link ModelUpdate} keyed by model name.
 * RetrainJob publishes its promotions there when run on its own, the streaming job announces its loop's, and the
 * API an operator's promotion or rollback; the streaming job's scorer reads them all and swaps to the newest.
 */
public final class ModelUpdates {
    public static final Option<String> TOPIC = Option.string("kafka.topic.model-updates").defaultValue("model-updates")
            .description("Kafka topic of model updates: new champions from RetrainJob, the loop's promotions and the"
                    + " API's promotions and rollbacks.");
    public static final List<Option<?>> OPTIONS = List.of(TOPIC);

    private ModelUpdates() {}

    public static String topic(Settings settings) {
        return TOPIC.value(settings);
    }

    /** Sends {@code update} to {@code topic} and waits until the broker acknowledged it. */
    public static void publish(String bootstrapServers, String topic, ModelUpdate update) throws Exception {
        try (KafkaJsonProducer producer = new KafkaJsonProducer(bootstrapServers)) {
            producer.send(topic, update.modelName(), update);
        }
    }
}
