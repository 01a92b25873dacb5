package io.imlma.jobs.connect;

import io.imlma.common.json.Json;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Kafka sources of committed records and exactly-once JSON sinks, for any job and any topic of a {@link KafkaConfig}. */
public final class KafkaConnectors {
    private KafkaConnectors() {}

    /** The readings topic from the consumer group's committed offsets, or as {@code kafka.starting-offsets} says. */
    public static KafkaSource<String> readings(KafkaConfig c) {
        return committedRecords(c, c.readingsTopic(), "", switch (c.startingOffsets()) {
            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
        });
    }

    /**
     * A topic's committed records (read_committed: only committed records of transactional producers) as strings,
     * for the consumer group {@code kafka.group.id + groupSuffix}.
     */
    public static KafkaSource<String> committedRecords(KafkaConfig c, String topic, String groupSuffix,
            OffsetsInitializer startingOffsets) {
        var builder = KafkaSource.<String>builder()
                .setBootstrapServers(c.bootstrapServers())
                .setTopics(topic)
                .setGroupId(c.groupId() + groupSuffix)
                .setStartingOffsets(startingOffsets)
                .setValueOnlyDeserializer(new SimpleStringSchema())
                .setProperty("isolation.level", "read_committed");
        c.clientProperties().forEach(builder::setProperty);
        return builder.build();
    }

    /**
     * Records as JSON to {@code topic}, keyed by {@code key} (so e.g. a meter's rows stay in one partition, in
     * order), in Kafka transactions committed with each checkpoint; {@code idSuffix} makes the sink's transactional
     * ids unique within the job.
     */
    public static <T> KafkaSink<T> jsonSink(KafkaConfig c, String topic, String idSuffix,
            SerializableFunction<T, String> key) {
        var builder = KafkaSink.<T>builder()
                .setBootstrapServers(c.bootstrapServers())
                .setRecordSerializer(new JsonRecordSerializer<>(topic, key))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(c.transactionalIdPrefix() + idSuffix)
                .setProperty("transaction.timeout.ms", Long.toString(c.transactionTimeout().toMillis()));
        c.clientProperties().forEach(builder::setProperty);
        return builder.build();
    }

    /** Writes a record as JSON to one topic, with the key the sink was given. */
    private record JsonRecordSerializer<T>(String topic, SerializableFunction<T, String> key)
            implements KafkaRecordSerializationSchema<T> {
        @Override
        public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
            return new ProducerRecord<>(topic, null, timestamp, key.apply(element).getBytes(StandardCharsets.UTF_8),
                    Json.write(element).getBytes(StandardCharsets.UTF_8));
        }
    }
}
