package io.imlma.jobs.loop;

import io.imlma.common.config.Settings;
import io.imlma.common.json.Json;
import io.imlma.common.kafka.RetrainCommands;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.ModelUpdate;
import io.imlma.common.types.Prediction;
import io.imlma.common.types.RetrainCommand;
import io.imlma.common.types.RetrainReason;
import io.imlma.common.types.RetrainRequest;
import io.imlma.jobs.kafka.KafkaPipelineConfig;
import io.imlma.jobs.kafka.KafkaWiring;
import io.imlma.jobs.retrain.RetrainConfig;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop's Kafka topics: model updates in (published by retraining runs launched elsewhere); retrain commands in
 * (the trigger's second input: operators' requests the API publishes, and the drift monitor's, which this loop
 * writes there itself — the Kafka round trip closes the drift → retrain cycle a dataflow graph cannot hold);
 * predictions, alarms, the trigger's retrain requests, drift retrain commands and this loop's promotions out, exactly
 * once. Settings:
 * {@code kafka.topic.model-updates} (default {@code model-updates}, the topic RetrainJob publishes to and this
 * loop announces its new champions on; the scorer skips the ones it serves already when they come back),
 * {@code kafka.topic.predictions} ({@code predictions}), {@code kafka.topic.alarms} ({@code alarms}),
 * {@code kafka.topic.retrain-requests} ({@code retrain-requests}), {@value RetrainCommands#TOPIC}
 * ({@value RetrainCommands#DEFAULT_TOPIC}), besides those of {@link KafkaPipelineConfig}.
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
        KafkaSource<String> source = committedRecords(c, RetrainConfig.modelUpdatesTopic(settings), "-model-updates",
                OffsetsInitializer.earliest());
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "kafka-model-updates")
                .uid("kafka-model-updates").setParallelism(1)
                .flatMap(new ParseModelUpdate(), TypeInformation.of(ModelUpdate.class))
                .name("parse model updates").uid("parse-model-updates").setParallelism(1);
    }

    /**
     * The retrain commands ({@link RetrainCommands}) as the trigger's second input, from the committed offsets of
     * the job's consumer group (from the topic's start the first time, so no command written before the job's first
     * start is lost), with the event time of {@link ModelLoop#commandWatermarks()}.
     */
    public static DataStream<RetrainCommand> retrainCommands(StreamExecutionEnvironment env, KafkaPipelineConfig c,
            Settings settings) {
        KafkaSource<String> source = committedRecords(c, RetrainCommands.topic(settings), "-retrain-commands",
                OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST));
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "kafka-retrain-commands")
                .uid("kafka-retrain-commands").setParallelism(1)
                .flatMap(new ParseRetrainCommand(), TypeInformation.of(RetrainCommand.class))
                .name("parse retrain commands").uid("parse-retrain-commands").setParallelism(1)
                .assignTimestampsAndWatermarks(ModelLoop.commandWatermarks())
                .name("retrain command time").uid("retrain-command-time").setParallelism(1);
    }

    /** The topic's committed records (read_committed) as strings, for a consumer group named after the job's. */
    private static KafkaSource<String> committedRecords(KafkaPipelineConfig c, String topic, String groupSuffix,
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
     * Predictions keyed by meter, alarms by type, requests and promotions by model to their topics, in transactions
     * per checkpoint.
     */
    public static void sink(ModelLoop.Outputs loop, KafkaPipelineConfig c, Settings settings) {
        loop.retrainRequests()
                .sinkTo(KafkaWiring.jsonSink(c, settings.string(RETRAIN_REQUESTS_TOPIC, "retrain-requests"),
                        "-retrain-requests", RetrainRequest::modelName))
                .name("kafka-retrain-requests").uid("kafka-retrain-requests").setParallelism(1);
        loop.driftRetrainRequests()
                .map(LoopKafka::driftCommand, TypeInformation.of(RetrainCommand.class))
                .name("drift retrain commands").uid("drift-retrain-commands").setParallelism(1)
                .sinkTo(KafkaWiring.jsonSink(c, RetrainCommands.topic(settings), "-retrain-commands",
                        RetrainCommand::modelName))
                .name("kafka-retrain-commands-out").uid("kafka-retrain-commands-out").setParallelism(1);
        loop.promotions()
                .sinkTo(KafkaWiring.jsonSink(c, RetrainConfig.modelUpdatesTopic(settings), "-model-updates",
                        ModelUpdate::modelName))
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

    /** The drift monitor's request as the command the trigger reads back: it keeps the minimum interval. */
    static RetrainCommand driftCommand(RetrainRequest request) {
        return new RetrainCommand(request.modelName(), "drift-monitor " + request.requestId(), request.requestedAt(),
                RetrainReason.DRIFT);
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

    /** A record that is not a retrain command is logged, counted and skipped: the trigger goes on. */
    static final class ParseRetrainCommand extends RichFlatMapFunction<String, RetrainCommand> {
        private static final long serialVersionUID = 1L;

        private transient Counter skipped;

        @Override
        public void open(Configuration parameters) {
            skipped = getRuntimeContext().getMetricGroup().counter("retrainCommandsSkipped");
        }

        @Override
        public void flatMap(String json, Collector<RetrainCommand> out) {
            RetrainCommand command;
            try {
                command = Json.read(json, RetrainCommand.class);
                if (command.modelName() == null || command.modelName().isBlank()) {
                    throw new IllegalArgumentException("no modelName");
                }
            } catch (RuntimeException e) {
                skipped.inc();
                LOG.error("Skipping a record of the retrain-commands topic that is not a retrain command: {} ({})",
                        json, e.getMessage());
                return;
            }
            out.collect(command);
        }
    }
}
