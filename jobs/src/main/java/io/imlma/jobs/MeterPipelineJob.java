package io.imlma.jobs;

import io.imlma.common.config.Settings;
import io.imlma.common.types.DeadLetter;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.MeterReading;
import io.imlma.jobs.kafka.KafkaPipelineConfig;
import io.imlma.jobs.kafka.KafkaWiring;
import io.imlma.jobs.loop.LoopKafka;
import io.imlma.jobs.loop.ModelLoop;
import io.imlma.udf.SideOutputs;
import io.imlma.udf.ingest.EagerBoundedOutOfOrdernessWatermarks;
import io.imlma.udf.ingest.PaceByEventTime;
import io.imlma.udf.ingest.ParseEttLine;
import io.imlma.udf.ingest.ParseReading;
import io.imlma.udf.ingest.PlainOrGzipTextLineFormat;
import io.imlma.udf.preprocess.PreprocessReadings;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming preprocessing job: parse → watermarks → per meter, in one keyed operator and one state
 * ({@link PreprocessReadings}): deduplicate → tumbling event-time intervals → impute missing intervals → online
 * z-score. It is built from the streams it is given, so tests and the demo wire in-memory or file sources and
 * {@link #main} wires Kafka.
 *
 * <p>Lateness: intervals have allowed lateness 0, so each (meter, interval) row is emitted exactly once downstream;
 * tolerance for disorder comes from the watermark's out-of-orderness bound instead. A reading behind the watermark
 * for its interval goes to the late output, counted.
 */
public final class MeterPipelineJob {
    private static final Logger LOG = LoggerFactory.getLogger(MeterPipelineJob.class);

    private MeterPipelineJob() {}

    /** Readings as JSON strings (e.g. from Kafka); {@code sourceName} labels their dead letters. */
    public static PipelineOutputs fromJson(PipelineConfig config, DataStream<String> json, String sourceName) {
        SingleOutputStreamOperator<MeterReading> parsed = json
                .process(new ParseReading(sourceName, config.maxFuture()))
                .name("parse-json").uid("parse-json-" + sourceName)
                .setParallelism(json.getParallelism());
        return preprocess(config, parsed, parsed.getSideOutput(SideOutputs.DEAD_LETTERS));
    }

    /**
     * Lines of an ETT-format CSV; every line yields the readings of meters {@code <dataset>/<channel>}.
     *
     * @param speedUp replay pace relative to event time (e.g. 100000); 0 = as fast as possible
     */
    public static PipelineOutputs fromEttLines(PipelineConfig config, DataStream<String> lines, String dataset,
            double speedUp) {
        SingleOutputStreamOperator<MeterReading> parsed = lines
                .process(new ParseEttLine(dataset))
                .name("parse-ett-" + dataset).uid("parse-ett-" + dataset)
                .setParallelism(lines.getParallelism());
        DataStream<MeterReading> readings = parsed;
        if (speedUp > 0) {
            readings = parsed.map(new PaceByEventTime(speedUp))
                    .name("pace-x" + speedUp).uid("pace-" + dataset)
                    .setParallelism(lines.getParallelism());
        }
        return preprocess(config, readings, parsed.getSideOutput(SideOutputs.DEAD_LETTERS));
    }

    /**
     * Replays an ETT-format CSV file (plain or gzip, told apart by content) through the pipeline; the meters are
     * named after the file's base name.
     */
    public static PipelineOutputs replayEttFile(StreamExecutionEnvironment env, PipelineConfig config,
            java.nio.file.Path file, double speedUp) {
        String dataset = ParseEttLine.datasetName(file.getFileName().toString());
        FileSource<String> source = FileSource
                .forRecordStreamFormat(new PlainOrGzipTextLineFormat(), new Path(file.toAbsolutePath().toUri()))
                .build();
        DataStream<String> lines = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), "replay-" + dataset)
                .uid("replay-" + dataset)
                .setParallelism(1); // one file is one split; the replay keeps its order
        return fromEttLines(config, lines, dataset, speedUp);
    }

    /** The keyed part of the pipeline, for readings already parsed. */
    public static PipelineOutputs preprocess(PipelineConfig config, DataStream<MeterReading> readings,
            DataStream<DeadLetter> deadLetters) {
        SingleOutputStreamOperator<FeatureRow> features = readings
                .assignTimestampsAndWatermarks(watermarks(config))
                .name("watermarks").uid("watermarks")
                .setParallelism(readings.getParallelism())
                .keyBy(MeterReading::meterId)
                .process(new PreprocessReadings(config.windowSize(), config.dedupTtl(), config.warmUpIntervals()))
                .name("preprocess-readings").uid("preprocess-readings");
        return new PipelineOutputs(features, deadLetters, features.getSideOutput(SideOutputs.LATE_READINGS),
                features.getSideOutput(SideOutputs.CONFLICTS));
    }

    static WatermarkStrategy<MeterReading> watermarks(PipelineConfig config) {
        Duration outOfOrderness = config.outOfOrderness();
        WatermarkStrategy<MeterReading> strategy = WatermarkStrategy
                .<MeterReading>forGenerator(ctx -> new EagerBoundedOutOfOrdernessWatermarks<>(outOfOrderness))
                .withTimestampAssigner((reading, previous) -> reading.timestamp());
        return config.idleness().isZero() ? strategy : strategy.withIdleness(config.idleness());
    }

    /**
     * Production entry point: Kafka readings in, feature rows and dead letters out to Kafka, exactly once; the
     * closed loop ({@link ModelLoop}) on the feature rows, with predictions and alarms to Kafka as well.
     */
    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromArgs(args);
        PipelineConfig config = PipelineConfig.from(settings);
        KafkaPipelineConfig kafka = KafkaPipelineConfig.from(settings);
        LOG.info("Starting meter pipeline with {} and Kafka {}", config.describe(), kafka.bootstrapServers());

        StreamExecutionEnvironment env = JobEnvironment.configure(
                StreamExecutionEnvironment.getExecutionEnvironment(), config);
        wireKafka(env, config, kafka, settings);
        env.execute("imlma-meter-pipeline");
    }

    /**
     * The production graph: Kafka readings → pipeline → closed loop, its retrain commands and model updates from
     * Kafka, all outputs to Kafka (the drift monitor's requests to the retrain-commands topic, read back by the
     * trigger).
     */
    public static ModelLoop.Outputs wireKafka(StreamExecutionEnvironment env, PipelineConfig config,
            KafkaPipelineConfig kafka, Settings settings) {
        PipelineOutputs outputs = KafkaWiring.wire(env, config, kafka);
        ModelLoop.Outputs loop = ModelLoop.attach(env, outputs, LoopKafka.retrainCommands(env, kafka, settings),
                LoopKafka.modelUpdates(env, kafka, settings), settings);
        LoopKafka.sink(loop, kafka, settings);
        return loop;
    }
}
