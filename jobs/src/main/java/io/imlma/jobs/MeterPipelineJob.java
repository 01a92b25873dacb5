package io.imlma.jobs;

import io.imlma.common.config.Settings;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.DeadLetter;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.ModelUpdate;
import io.imlma.common.types.Prediction;
import io.imlma.common.types.RetrainCommand;
import io.imlma.common.types.RetrainReason;
import io.imlma.common.types.RetrainRequest;
import io.imlma.jobs.connect.KafkaConfig;
import io.imlma.jobs.connect.KafkaConnectors;
import io.imlma.jobs.loop.ModelLoop;
import io.imlma.jobs.pipeline.JobEnvironment;
import io.imlma.jobs.pipeline.MeterPipeline;
import io.imlma.jobs.pipeline.PipelineConfig;
import io.imlma.jobs.pipeline.PipelineOutputs;
import io.imlma.udf.ingest.ParseModelUpdate;
import io.imlma.udf.ingest.ParseRetrainCommand;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming job: preprocessed meter readings → the closed model loop ({@link ModelLoop}: snapshots, trigger,
 * launcher, champion scoring, monitors) → its outputs. {@link #build} takes the job's inputs and sinks, so the demo
 * wires files and in-process queues and {@link #main} wires Kafka ({@link #kafka}).
 *
 * <p>The drift monitor's retrain requests leave the job as DRIFT commands and come back in through the commands
 * input (in production the retrain-commands topic, where the API publishes operators' commands too): a dataflow
 * graph cannot feed them back itself, since predictions depend on the launcher's output. A drift command keeps the
 * trigger's minimum interval; only an operator's bypasses it.
 */
public final class MeterPipelineJob {
    private static final Logger LOG = LoggerFactory.getLogger(MeterPipelineJob.class);

    private MeterPipelineJob() {}

    /**
     * What flows into the job.
     *
     * @param pipeline     the preprocessed readings ({@link MeterPipeline})
     * @param commands     retrain commands with {@link ModelLoop#commandWatermarks()}; {@code null} for none
     * @param modelUpdates model updates published by retraining runs launched elsewhere; {@code null} for none
     */
    public record Inputs(PipelineOutputs pipeline, DataStream<RetrainCommand> commands,
            DataStream<ModelUpdate> modelUpdates) {}

    /** A sink and the name and uid of its operator (stable: the uid keys the sink's state in savepoints). */
    public record Output<T>(String uid, Sink<T> sink) {}

    /**
     * Where the job's outputs go; a {@code null} output is not written.
     *
     * @param driftCommands the drift monitor's requests, as DRIFT commands for the commands input
     * @param promotions    this loop's new champions, announced once each
     */
    public record Outputs(Output<FeatureRow> features, Output<DeadLetter> deadLetters,
            Output<Prediction> predictions, Output<Alarm> alarms, Output<RetrainRequest> retrainRequests,
            Output<RetrainCommand> driftCommands, Output<ModelUpdate> promotions) {}

    /** Builds the job on {@code env}; returns the loop's streams for further sinks. */
    public static ModelLoop.Outputs build(StreamExecutionEnvironment env, Inputs inputs, Outputs outputs,
            Settings settings) {
        PipelineOutputs pipeline = inputs.pipeline();
        ModelLoop.Outputs loop = ModelLoop.attach(env, pipeline, inputs.commands(), inputs.modelUpdates(), settings);
        sink(pipeline.features(), outputs.features(), -1);
        sink(pipeline.deadLetters(), outputs.deadLetters(), -1);
        sink(loop.predictions(), outputs.predictions(), -1);
        sink(loop.alarms(), outputs.alarms(), -1);
        sink(loop.retrainRequests(), outputs.retrainRequests(), 1);
        sink(loop.promotions(), outputs.promotions(), 1);
        if (outputs.driftCommands() != null) {
            sink(loop.driftRetrainRequests()
                    .map(MeterPipelineJob::driftCommand, TypeInformation.of(RetrainCommand.class))
                    .name("drift retrain commands").uid("drift-retrain-commands").setParallelism(1),
                    outputs.driftCommands(), 1);
        }
        return loop;
    }

    private static <T> void sink(DataStream<T> stream, Output<T> output, int parallelism) {
        if (output == null) {
            return;
        }
        var sink = stream.sinkTo(output.sink()).name(output.uid()).uid(output.uid());
        if (parallelism > 0) {
            sink.setParallelism(parallelism);
        }
    }

    /** The drift monitor's request as the command the trigger reads back: it keeps the minimum interval. */
    static RetrainCommand driftCommand(RetrainRequest request) {
        return new RetrainCommand(request.modelName(), "drift-monitor " + request.requestId(), request.requestedAt(),
                RetrainReason.DRIFT);
    }

    /**
     * Production entry point: Kafka readings, retrain commands and model updates in; feature rows, dead letters,
     * predictions, alarms, retrain requests, drift commands and promotions out to Kafka, exactly once.
     */
    public static void main(String[] args) throws Exception {
        Settings settings = JobSettings.meterPipelineJob().start(args).orElse(null);
        if (settings == null) {
            return; // --help
        }
        PipelineConfig config = PipelineConfig.from(settings);
        KafkaConfig kafka = KafkaConfig.from(settings);
        LOG.info("Starting meter pipeline with {} and Kafka {}", config.describe(), kafka.bootstrapServers());

        StreamExecutionEnvironment env = JobEnvironment.configure(
                StreamExecutionEnvironment.getExecutionEnvironment(), config);
        kafka(env, config, kafka, settings);
        env.execute("imlma-meter-pipeline");
    }

    /** The production graph on Kafka topics (see {@link KafkaConfig}). */
    public static ModelLoop.Outputs kafka(StreamExecutionEnvironment env, PipelineConfig config, KafkaConfig c,
            Settings settings) {
        DataStream<String> readings = env
                .fromSource(KafkaConnectors.readings(c), WatermarkStrategy.noWatermarks(), "kafka-readings")
                .uid("kafka-readings");
        // commands from the job's committed offsets (from the topic's start the first time, so no command written
        // before the job's first start is lost); model updates all from the start: the scorer skips old ones
        DataStream<RetrainCommand> commands = env
                .fromSource(KafkaConnectors.committedRecords(c, c.retrainCommandsTopic(), "-retrain-commands",
                        OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST)),
                        WatermarkStrategy.noWatermarks(), "kafka-retrain-commands")
                .uid("kafka-retrain-commands").setParallelism(1)
                .flatMap(new ParseRetrainCommand(), TypeInformation.of(RetrainCommand.class))
                .name("parse retrain commands").uid("parse-retrain-commands").setParallelism(1)
                .assignTimestampsAndWatermarks(ModelLoop.commandWatermarks())
                .name("retrain command time").uid("retrain-command-time").setParallelism(1);
        DataStream<ModelUpdate> updates = env
                .fromSource(KafkaConnectors.committedRecords(c, c.modelUpdatesTopic(), "-model-updates",
                        OffsetsInitializer.earliest()), WatermarkStrategy.noWatermarks(), "kafka-model-updates")
                .uid("kafka-model-updates").setParallelism(1)
                .flatMap(new ParseModelUpdate(), TypeInformation.of(ModelUpdate.class))
                .name("parse model updates").uid("parse-model-updates").setParallelism(1);

        Inputs inputs = new Inputs(MeterPipeline.fromJson(config, readings, c.readingsTopic()), commands, updates);
        Outputs outputs = new Outputs(
                new Output<>("kafka-features",
                        KafkaConnectors.jsonSink(c, c.featuresTopic(), "-features", FeatureRow::meterId)),
                new Output<>("kafka-dead-letters",
                        KafkaConnectors.jsonSink(c, c.deadLettersTopic(), "-dead-letters", DeadLetter::source)),
                new Output<>("kafka-predictions",
                        KafkaConnectors.jsonSink(c, c.predictionsTopic(), "-predictions", Prediction::meterId)),
                new Output<>("kafka-alarms",
                        KafkaConnectors.jsonSink(c, c.alarmsTopic(), "-alarms", (Alarm alarm) -> alarm.type().name())),
                new Output<>("kafka-retrain-requests", KafkaConnectors.jsonSink(c, c.retrainRequestsTopic(),
                        "-retrain-requests", RetrainRequest::modelName)),
                new Output<>("kafka-retrain-commands-out", KafkaConnectors.jsonSink(c, c.retrainCommandsTopic(),
                        "-retrain-commands", RetrainCommand::modelName)),
                new Output<>("kafka-model-updates-out", KafkaConnectors.jsonSink(c, c.modelUpdatesTopic(),
                        "-model-updates", ModelUpdate::modelName)));
        return build(env, inputs, outputs, settings);
    }
}
