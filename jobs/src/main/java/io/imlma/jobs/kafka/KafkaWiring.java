package io.imlma.jobs.kafka;

import io.imlma.common.types.DeadLetter;
import io.imlma.common.types.FeatureRow;
import io.imlma.jobs.MeterPipelineJob;
import io.imlma.jobs.PipelineConfig;
import io.imlma.jobs.PipelineOutputs;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Kafka sources and exactly-once sinks of the meter pipeline, reusable by tests against a real broker. */
public final class KafkaWiring {
    private KafkaWiring() {}

    /** JSON readings; reads only committed records of transactional producers. */
    public static KafkaSource<String> readingsSource(KafkaPipelineConfig c) {
        var builder = KafkaSource.<String>builder()
                .setBootstrapServers(c.bootstrapServers())
                .setTopics(c.readingsTopic())
                .setGroupId(c.groupId())
                .setStartingOffsets(switch (c.startingOffsets()) {
                    case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
                    case EARLIEST -> OffsetsInitializer.earliest();
                    case LATEST -> OffsetsInitializer.latest();
                })
                .setValueOnlyDeserializer(new SimpleStringSchema())
                .setProperty("isolation.level", "read_committed");
        c.clientProperties().forEach(builder::setProperty);
        return builder.build();
    }

    /** Feature rows as JSON keyed by meter, in Kafka transactions committed with each checkpoint. */
    public static KafkaSink<FeatureRow> featureSink(KafkaPipelineConfig c) {
        return exactlyOnceSink(c, c.featuresTopic(), "-features",
                new JsonRecordSerializer<FeatureRow>(c.featuresTopic(), FeatureRow::meterId));
    }

    /** Dead letters as JSON keyed by source. */
    public static KafkaSink<DeadLetter> deadLetterSink(KafkaPipelineConfig c) {
        return exactlyOnceSink(c, c.deadLettersTopic(), "-dead-letters",
                new JsonRecordSerializer<DeadLetter>(c.deadLettersTopic(), DeadLetter::source));
    }

    /** Records as JSON to {@code topic} keyed by {@code key}, exactly once; {@code idSuffix} makes its transactional ids unique. */
    public static <T> KafkaSink<T> jsonSink(KafkaPipelineConfig c, String topic, String idSuffix,
            SerializableFunction<T, String> key) {
        return exactlyOnceSink(c, topic, idSuffix, new JsonRecordSerializer<T>(topic, key));
    }

    private static <T> KafkaSink<T> exactlyOnceSink(KafkaPipelineConfig c, String topic, String idSuffix,
            JsonRecordSerializer<T> serializer) {
        var builder = KafkaSink.<T>builder()
                .setBootstrapServers(c.bootstrapServers())
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(c.transactionalIdPrefix() + idSuffix)
                .setProperty("transaction.timeout.ms", Long.toString(c.transactionTimeout().toMillis()));
        c.clientProperties().forEach(builder::setProperty);
        return builder.build();
    }

    /** Kafka readings → pipeline → Kafka feature rows and dead letters. Returns the outputs for further stages. */
    public static PipelineOutputs wire(StreamExecutionEnvironment env, PipelineConfig config, KafkaPipelineConfig c) {
        DataStream<String> json = env
                .fromSource(readingsSource(c), WatermarkStrategy.noWatermarks(), "kafka-readings")
                .uid("kafka-readings");
        PipelineOutputs outputs = MeterPipelineJob.fromJson(config, json, c.readingsTopic());
        outputs.features().sinkTo(featureSink(c)).name("kafka-features").uid("kafka-features");
        outputs.deadLetters().sinkTo(deadLetterSink(c)).name("kafka-dead-letters").uid("kafka-dead-letters");
        return outputs;
    }
}
