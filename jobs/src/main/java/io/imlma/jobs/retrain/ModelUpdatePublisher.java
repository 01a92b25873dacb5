package io.imlma.jobs.retrain;

import io.imlma.common.json.Json;
import io.imlma.common.types.ModelUpdate;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Sends a {@link ModelUpdate} (JSON, keyed by model name) to Kafka and waits until the broker acknowledged it. */
public final class ModelUpdatePublisher {
    private static final long TIMEOUT_SECONDS = 30;

    private ModelUpdatePublisher() {}

    public static void publish(String bootstrapServers, String topic, ModelUpdate update) throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, update.modelName(), Json.write(update)))
                    .get(TIMEOUT_SECONDS + 5, TimeUnit.SECONDS);
        }
    }
}
