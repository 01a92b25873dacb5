package io.imlma.jobs.preprocess.reference;

import io.imlma.common.types.DeadLetter;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.MeterReading;
import io.imlma.jobs.pipeline.PipelineConfig;
import io.imlma.jobs.pipeline.PipelineOutputs;
import io.imlma.udf.PipelineMetrics;
import io.imlma.udf.SideOutputs;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;

/** The former {@code MeterPipeline.preprocess} graph, as it was. */
public final class ReferencePipeline {
    private ReferencePipeline() {}

    public static PipelineOutputs preprocess(PipelineConfig config, DataStream<MeterReading> readings,
            DataStream<DeadLetter> deadLetters, WatermarkStrategy<MeterReading> watermarks) {
        Duration interval = config.windowSize();
        SingleOutputStreamOperator<MeterReading> timed = readings
                .assignTimestampsAndWatermarks(watermarks)
                .name("watermarks").uid("reference-watermarks")
                .setParallelism(readings.getParallelism());

        SingleOutputStreamOperator<MeterReading> unique = timed
                .keyBy(MeterReading::meterId)
                .process(new DeduplicateReadings(config.dedupTtl()))
                .name("deduplicate").uid("reference-deduplicate");

        SingleOutputStreamOperator<WindowAggregate> windows = DataStreamUtils
                .reinterpretAsKeyedStream(unique, MeterReading::meterId, Types.STRING)
                .window(TumblingEventTimeWindows.of(interval))
                .allowedLateness(Duration.ZERO)
                .sideOutputLateData(SideOutputs.LATE_READINGS)
                .aggregate(new MeanMinMaxAggregate(), new ToWindowAggregate())
                .name("window-mean-min-max").uid("reference-window-mean-min-max");

        SingleOutputStreamOperator<WindowAggregate> gapFree = DataStreamUtils
                .reinterpretAsKeyedStream(windows, WindowAggregate::meterId, Types.STRING)
                .process(new ImputeMissingIntervals(interval))
                .name("impute-missing-intervals").uid("reference-impute-missing-intervals");

        SingleOutputStreamOperator<FeatureRow> features = DataStreamUtils
                .reinterpretAsKeyedStream(gapFree, WindowAggregate::meterId, Types.STRING)
                .process(new StandardizeOnline(config.warmUpIntervals()))
                .name("standardize-online").uid("reference-standardize-online");

        DataStream<MeterReading> late = windows.getSideOutput(SideOutputs.LATE_READINGS)
                .map(new CountRecords<MeterReading>(PipelineMetrics.LATE))
                .name("count-late-readings").uid("reference-count-late-readings");

        return new PipelineOutputs(features, deadLetters, late, unique.getSideOutput(SideOutputs.CONFLICTS));
    }
}
