package io.imlma.jobs.retrain;

import io.imlma.common.kafka.KafkaJsonProducer;
import io.imlma.common.types.ModelUpdate;

/** Sends a {@link ModelUpdate} (JSON, keyed by model name) to Kafka and waits until the broker acknowledged it. */
public final class ModelUpdatePublisher {
    private ModelUpdatePublisher() {}

    public static void publish(String bootstrapServers, String topic, ModelUpdate update) throws Exception {
        try (KafkaJsonProducer producer = new KafkaJsonProducer(bootstrapServers)) {
            producer.send(topic, update.modelName(), update);
        }
    }
}
