package io.imlma.common.kafka;

import io.imlma.common.json.Json;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends records as JSON, keyed, to Kafka and waits until the broker acknowledged each: acks=all and idempotent, so
 * the producer's own retries write a record once. For programs outside the streaming job (RetrainJob's model update,
 * the API's retrain commands); the job writes through its transactional sinks.
 */
public final class KafkaJsonProducer implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final KafkaProducer<String, String> producer;

    public KafkaJsonProducer(String bootstrapServers) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, TIMEOUT.toMillis());
        producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }

    /** Returns once the record is written; throws if the broker did not take it within the delivery timeout. */
    public void send(String topic, String key, Object value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, Json.write(value)))
                .get(TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        producer.close(TIMEOUT);
    }
}
