package io.imlma.jobs.kafka;

import io.imlma.common.config.Settings;
import io.imlma.common.kafka.KafkaOptions;
import io.imlma.common.kafka.RetrainCommands;
import io.imlma.common.types.DeadLetter;
import io.imlma.common.types.FeatureRow;
import io.imlma.jobs.connect.KafkaConfig;
import io.imlma.jobs.connect.KafkaConnectors;
import io.imlma.jobs.pipeline.JobEnvironment;
import io.imlma.jobs.pipeline.MeterPipeline;
import io.imlma.jobs.pipeline.PipelineConfig;
import io.imlma.jobs.pipeline.PipelineOutputs;
import io.imlma.testkit.KafkaBroker;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Readings as the Kafka source expects them, a Kafka configuration with topics of a test's own, the job's settings. */
public final class TestTopics {
    public static final long T0 = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    public static final long MINUTE = 60_000;
    public static final long INTERVAL = 15 * MINUTE;

    private TestTopics() {}

    /** A JSON reading of {@code meter} at {@code T0 + minute}; the value is written as given (e.g. "1e999"). */
    public static String reading(String meter, long minute, String value) {
        return "{\"meterId\":\"" + meter + "\",\"timestamp\":" + (T0 + minute * MINUTE) + ",\"value\":" + value + "}";
    }

    /**
     * The pipeline settings of the Kafka tests: checkpoints every 300 ms under {@code checkpoints}, so transactions
     * commit soon, and no idleness, so no split is declared idle while a test pauses between records.
     */
    public static PipelineConfig pipelineConfig(Path checkpoints, int warmUpIntervals) {
        return PipelineConfig.from(Settings.fromArgs(
                "--checkpoint.dir", checkpoints.toUri().toString(),
                "--checkpoint.interval", "300ms",
                "--watermark.idleness", "0",
                "--standardize.warm-up-intervals", Integer.toString(warmUpIntervals)));
    }

    /** The job's environment for {@code config} with the given parallelism. */
    public static StreamExecutionEnvironment environment(PipelineConfig config, int parallelism) {
        StreamExecutionEnvironment env = JobEnvironment.configure(
                StreamExecutionEnvironment.getExecutionEnvironment(), config);
        env.setParallelism(parallelism);
        return env;
    }

    /**
     * Kafka settings whose topics, consumer group and transactional ids all start with {@code name}, so tests sharing
     * a broker never see each other's records or fence each other's producers; a random suffix keeps a repeated test
     * apart from its earlier runs. Creates every topic of the configuration.
     */
    public static KafkaConfig create(KafkaBroker broker, String testName, int readingPartitions,
            String... moreSettings) {
        String name = testName + "-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> args = new ArrayList<>(List.of(
                "--" + KafkaOptions.BOOTSTRAP_SERVERS.key(), broker.bootstrapServers(),
                "--kafka.topic.readings", name + "-readings",
                "--kafka.topic.features", name + "-features",
                "--kafka.topic.dead-letters", name + "-dead-letters",
                "--" + KafkaConfig.PREDICTIONS_TOPIC.key(), name + "-predictions",
                "--" + KafkaConfig.ALARMS_TOPIC.key(), name + "-alarms",
                "--" + KafkaConfig.RETRAIN_REQUESTS_TOPIC.key(), name + "-retrain-requests",
                "--" + RetrainCommands.TOPIC.key(), name + "-retrain-commands",
                "--" + KafkaConfig.MODEL_UPDATES_TOPIC.key(), name + "-model-updates",
                "--kafka.group.id", name,
                "--kafka.transactional.id.prefix", name));
        args.addAll(List.of(moreSettings));
        KafkaConfig config = KafkaConfig.from(Settings.fromArgs(args.toArray(String[]::new)));
        broker.createTopic(config.readingsTopic(), readingPartitions);
        broker.createTopic(config.featuresTopic(), 2);
        for (String topic : List.of(config.deadLettersTopic(), config.predictionsTopic(), config.alarmsTopic(),
                config.retrainRequestsTopic(), config.retrainCommandsTopic(), config.modelUpdatesTopic())) {
            broker.createTopic(topic, 1);
        }
        return config;
    }

    /**
     * The preprocessing part of the production job on Kafka: the readings topic → {@link MeterPipeline} → feature rows
     * and dead letters to their topics, exactly once, with the production job's operator names and uids.
     */
    public static PipelineOutputs preprocess(StreamExecutionEnvironment env, PipelineConfig config, KafkaConfig c) {
        DataStream<String> json = env
                .fromSource(KafkaConnectors.readings(c), WatermarkStrategy.noWatermarks(), "kafka-readings")
                .uid("kafka-readings");
        PipelineOutputs outputs = MeterPipeline.fromJson(config, json, c.readingsTopic());
        outputs.features().sinkTo(featureSink(c)).name("kafka-features").uid("kafka-features");
        outputs.deadLetters()
                .sinkTo(KafkaConnectors.jsonSink(c, c.deadLettersTopic(), "-dead-letters", DeadLetter::source))
                .name("kafka-dead-letters").uid("kafka-dead-letters");
        return outputs;
    }

    /** The production job's feature-row sink. */
    public static org.apache.flink.connector.kafka.sink.KafkaSink<FeatureRow> featureSink(KafkaConfig c) {
        return KafkaConnectors.jsonSink(c, c.featuresTopic(), "-features", FeatureRow::meterId);
    }
}
