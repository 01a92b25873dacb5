package io.imlma.jobs.loop;

import io.imlma.common.config.Settings;
import io.imlma.common.json.Json;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.ModelUpdate;
import io.imlma.common.types.Prediction;
import io.imlma.common.types.RetrainRequest;
import io.imlma.jobs.kafka.KafkaPipelineConfig;
import io.imlma.jobs.kafka.KafkaWiring;
import io.imlma.jobs.retrain.RetrainConfig;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop's Kafka topics: model updates in (published by retraining runs launched elsewhere); predictions, alarms,
 * the trigger's retrain requests and this loop's promotions out, exactly once. Settings:
 * {@code kafka.topic.model-updates} (default {@code model-updates}, the topic RetrainJob publishes to and this
 * loop announces its new champions on; the scorer skips the ones it serves already when they come back),
 * {@code kafka.topic.predictions} ({@code predictions}), {@code kafka.topic.alarms} ({@code alarms}),
 * {@code kafka.topic.retrain-requests} ({@code retrain-requests}), besides those of {@link KafkaPipelineConfig}.
 */
public final class LoopKafka {
    private static final Logger LOG = LoggerFactory.getLogger(LoopKafka.class);

    public static final String PREDICTIONS_TOPIC = "kafka.topic.predictions";
    public static final String ALARMS_TOPIC = "kafka.topic.alarms";
    public static final String RETRAIN_REQUESTS_TOPIC = "kafka.topic.retrain-requests";

    private LoopKafka() {}

    /** Every update on the topic from its start: the scorer skips those older than its champion. */
    public static DataStream<ModelUpdate> modelUpdates(StreamExecutionEnvironment env, KafkaPipelineConfig c,
            Settings settings) {
        String topic = settings.string(RetrainConfig.MODEL_UPDATES_TOPIC, "model-updates");
        var builder = KafkaSource.<String>builder()
                .setBootstrapServers(c.bootstrapServers())
                .setTopics(topic)
                .setGroupId(c.groupId() + "-model-updates")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setValueOnlyDeserializer(new SimpleStringSchema())
                .setProperty("isolation.level", "read_committed");
        c.clientProperties().forEach(builder::setProperty);
        return env.fromSource(builder.build(), WatermarkStrategy.noWatermarks(), "kafka-model-updates")
                .uid("kafka-model-updates").setParallelism(1)
                .flatMap(new ParseModelUpdate(), TypeInformation.of(ModelUpdate.class))
                .name("parse model updates").uid("parse-model-updates").setParallelism(1);
    }

    /**
     * Predictions keyed by meter, alarms by type, requests and promotions by model to their topics, in transactions
     * per checkpoint.
     */
    public static void sink(ModelLoop.Outputs loop, KafkaPipelineConfig c, Settings settings) {
        loop.retrainRequests()
                .sinkTo(KafkaWiring.jsonSink(c, settings.string(RETRAIN_REQUESTS_TOPIC, "retrain-requests"),
                        "-retrain-requests", RetrainRequest::modelName))
                .name("kafka-retrain-requests").uid("kafka-retrain-requests").setParallelism(1);
        loop.promotions()
                .sinkTo(KafkaWiring.jsonSink(c, settings.string(RetrainConfig.MODEL_UPDATES_TOPIC, "model-updates"),
                        "-model-updates", ModelUpdate::modelName))
                .name("kafka-model-updates-out").uid("kafka-model-updates-out").setParallelism(1);
        loop.predictions()
                .sinkTo(KafkaWiring.jsonSink(c, settings.string(PREDICTIONS_TOPIC, "predictions"), "-predictions",
                        Prediction::meterId))
                .name("kafka-predictions").uid("kafka-predictions");
        loop.alarms()
                .sinkTo(KafkaWiring.jsonSink(c, settings.string(ALARMS_TOPIC, "alarms"), "-alarms",
                        (Alarm alarm) -> alarm.type().name()))
                .name("kafka-alarms").uid("kafka-alarms");
    }

    /** A record that is not a model update is logged and skipped: serving goes on with the current champion. */
    static final class ParseModelUpdate implements FlatMapFunction<String, ModelUpdate> {
        private static final long serialVersionUID = 1L;

        @Override
        public void flatMap(String json, Collector<ModelUpdate> out) {
            try {
                out.collect(Json.read(json, ModelUpdate.class));
            } catch (RuntimeException e) {
                LOG.error("Skipping a record of the model-updates topic that is not a model update: {} ({})", json,
                        e.getMessage());
            }
        }
    }
}
