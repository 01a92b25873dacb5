package io.imlma.jobs.pipeline;

import io.imlma.common.types.DeadLetter;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.MeterReading;
import io.imlma.udf.SideOutputs;
import io.imlma.udf.ingest.EagerBoundedOutOfOrdernessWatermarks;
import io.imlma.udf.ingest.EventTimeGuard;
import io.imlma.udf.ingest.PaceByEventTime;
import io.imlma.udf.ingest.ParseEttLine;
import io.imlma.udf.ingest.ParseReading;
import io.imlma.udf.preprocess.PreprocessReadings;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The preprocessing part of the streaming job: parse → event-time guard ({@link EventTimeGuard}: clock skew is
 * quarantined before it can move the watermark) → watermarks → per meter, in one keyed operator and one state
 * ({@link PreprocessReadings}): plausibility (finite, bounds, robust outliers) → deduplicate → tumbling event-time
 * intervals → impute missing intervals → online z-score; built from the stream of raw input it is given (JSON
 * readings from Kafka, lines of an ETT file, in-memory data in tests). Every reading set aside on the way is a dead
 * letter with its reason: {@link PipelineOutputs#deadLetters()} holds those of all three stages.
 *
 * <p>Lateness: intervals have allowed lateness 0, so each (meter, interval) row is emitted exactly once downstream;
 * tolerance for disorder comes from the watermark's out-of-orderness bound instead. A reading behind the watermark
 * for its interval goes to the late output, counted.
 */
public final class MeterPipeline {
    private MeterPipeline() {}

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

    /** The keyed part of the pipeline, for readings already parsed. */
    public static PipelineOutputs preprocess(PipelineConfig config, DataStream<MeterReading> readings,
            DataStream<DeadLetter> deadLetters) {
        SingleOutputStreamOperator<MeterReading> guarded = readings
                .process(new EventTimeGuard(config.maxAhead(), config.maxBehind()))
                .name(EventTimeGuard.SOURCE).uid(EventTimeGuard.SOURCE)
                .setParallelism(readings.getParallelism());
        SingleOutputStreamOperator<FeatureRow> features = guarded
                .assignTimestampsAndWatermarks(watermarks(config))
                .name("watermarks").uid("watermarks")
                .setParallelism(readings.getParallelism())
                .keyBy(MeterReading::meterId)
                .process(new PreprocessReadings(config.windowSize(), config.dedupTtl(), config.warmUpIntervals(),
                        config.plausibility()))
                .name(PreprocessReadings.SOURCE).uid(PreprocessReadings.SOURCE);
        DataStream<DeadLetter> allDeadLetters = deadLetters.union(guarded.getSideOutput(SideOutputs.DEAD_LETTERS),
                features.getSideOutput(SideOutputs.DEAD_LETTERS));
        return new PipelineOutputs(features, allDeadLetters, features.getSideOutput(SideOutputs.LATE_READINGS),
                features.getSideOutput(SideOutputs.CONFLICTS));
    }

    static WatermarkStrategy<MeterReading> watermarks(PipelineConfig config) {
        Duration outOfOrderness = config.outOfOrderness();
        WatermarkStrategy<MeterReading> strategy = WatermarkStrategy
                .<MeterReading>forGenerator(ctx -> new EagerBoundedOutOfOrdernessWatermarks<>(outOfOrderness))
                .withTimestampAssigner((reading, previous) -> reading.timestamp());
        return config.idleness().isZero() ? strategy : strategy.withIdleness(config.idleness());
    }
}
