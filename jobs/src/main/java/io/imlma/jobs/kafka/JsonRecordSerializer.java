package io.imlma.jobs.kafka;

import io.imlma.common.json.Json;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes a record as JSON to one topic, keyed (e.g. by meter) so a meter's rows stay in one partition, in order. */
public class JsonRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {
    private final String topic;
    private final SerializableFunction<T, String> key;

    public JsonRecordSerializer(String topic, SerializableFunction<T, String> key) {
        this.topic = topic;
        this.key = key;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, timestamp, key.apply(element).getBytes(StandardCharsets.UTF_8),
                Json.write(element).getBytes(StandardCharsets.UTF_8));
    }
}
