package io.imlma.jobs.pipeline;

import io.imlma.common.types.DeadLetter;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.MeterReading;
import io.imlma.common.types.WindowAggregate;
import io.imlma.udf.CountRecords;
import io.imlma.udf.PipelineMetrics;
import io.imlma.udf.SideOutputs;
import io.imlma.udf.ingest.EagerBoundedOutOfOrdernessWatermarks;
import io.imlma.udf.ingest.PaceByEventTime;
import io.imlma.udf.ingest.ParseEttLine;
import io.imlma.udf.ingest.ParseReading;
import io.imlma.udf.preprocess.DeduplicateReadings;
import io.imlma.udf.preprocess.ImputeMissingIntervals;
import io.imlma.udf.preprocess.MeanMinMaxAggregate;
import io.imlma.udf.preprocess.StandardizeOnline;
import io.imlma.udf.preprocess.ToWindowAggregate;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;

/**
 * The preprocessing part of the streaming job: parse → watermarks → deduplicate → tumbling event-time windows →
 * impute missing intervals → online z-score, built from the stream of raw input it is given (JSON readings from
 * Kafka, lines of an ETT file, in-memory data in tests).
 *
 * <p>Lateness: windows have allowed lateness 0, so every window fires exactly once and each (meter, interval) row
 * is emitted exactly once downstream; tolerance for disorder comes from the watermark's out-of-orderness bound
 * instead. A reading behind the watermark for its window goes to the late output, counted.
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
        Duration interval = config.windowSize();
        SingleOutputStreamOperator<MeterReading> timed = readings
                .assignTimestampsAndWatermarks(watermarks(config))
                .name("watermarks").uid("watermarks")
                .setParallelism(readings.getParallelism());

        SingleOutputStreamOperator<MeterReading> unique = timed
                .keyBy(MeterReading::meterId)
                .process(new DeduplicateReadings(config.dedupTtl()))
                .name("deduplicate").uid("deduplicate");

        SingleOutputStreamOperator<WindowAggregate> windows = DataStreamUtils
                .reinterpretAsKeyedStream(unique, MeterReading::meterId, Types.STRING)
                .window(TumblingEventTimeWindows.of(interval))
                .allowedLateness(Duration.ZERO)
                .sideOutputLateData(SideOutputs.LATE_READINGS)
                .aggregate(new MeanMinMaxAggregate(), new ToWindowAggregate())
                .name("window-mean-min-max").uid("window-mean-min-max");

        SingleOutputStreamOperator<WindowAggregate> gapFree = DataStreamUtils
                .reinterpretAsKeyedStream(windows, WindowAggregate::meterId, Types.STRING)
                .process(new ImputeMissingIntervals(interval))
                .name("impute-missing-intervals").uid("impute-missing-intervals");

        SingleOutputStreamOperator<FeatureRow> features = DataStreamUtils
                .reinterpretAsKeyedStream(gapFree, WindowAggregate::meterId, Types.STRING)
                .process(new StandardizeOnline(config.warmUpIntervals()))
                .name("standardize-online").uid("standardize-online");

        DataStream<MeterReading> late = windows.getSideOutput(SideOutputs.LATE_READINGS)
                .map(new CountRecords<MeterReading>(PipelineMetrics.LATE))
                .name("count-late-readings").uid("count-late-readings");

        return new PipelineOutputs(features, deadLetters, late, unique.getSideOutput(SideOutputs.CONFLICTS));
    }

    static WatermarkStrategy<MeterReading> watermarks(PipelineConfig config) {
        Duration outOfOrderness = config.outOfOrderness();
        WatermarkStrategy<MeterReading> strategy = WatermarkStrategy
                .<MeterReading>forGenerator(ctx -> new EagerBoundedOutOfOrdernessWatermarks<>(outOfOrderness))
                .withTimestampAssigner((reading, previous) -> reading.timestamp());
        return config.idleness().isZero() ? strategy : strategy.withIdleness(config.idleness());
    }
}
