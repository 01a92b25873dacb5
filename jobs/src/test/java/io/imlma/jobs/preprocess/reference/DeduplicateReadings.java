package io.imlma.jobs.preprocess.reference;

import io.imlma.common.types.DuplicateConflict;
import io.imlma.common.types.MeterReading;
import io.imlma.udf.PipelineMetrics;
import io.imlma.udf.SideOutputs;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by meter: remembers the value seen for each timestamp (with a time-to-live) and lets only the first reading
 * of a (meter, timestamp) through. An exact re-send (same value) is dropped and counted; a different value for the
 * same timestamp is a conflict, reported on {@link SideOutputs#CONFLICTS} and counted, and the first value is kept.
 *
 * <p>Only "keep first" is offered, on purpose: the first value has already gone downstream into a window that may
 * have fired, so "keep latest" could not replace it without retracting an emitted row. The conflict record carries
 * both values for anyone who needs to correct afterwards.
 */
public class DeduplicateReadings extends KeyedProcessFunction<String, MeterReading, MeterReading> {
    private final Duration ttl;
    private transient MapState<Long, Double> valueByTimestamp;
    private transient Counter duplicates;
    private transient Counter conflicts;

    /** @param ttl how long a (meter, timestamp) is remembered, in processing time */
    public DeduplicateReadings(Duration ttl) {
        this.ttl = ttl;
    }

    @Override
    public void open(OpenContext openContext) {
        var descriptor = new MapStateDescriptor<>("value-by-timestamp", Types.LONG, Types.DOUBLE);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(ttl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        valueByTimestamp = getRuntimeContext().getMapState(descriptor);
        var metrics = getRuntimeContext().getMetricGroup();
        duplicates = metrics.counter(PipelineMetrics.DUPLICATES);
        conflicts = metrics.counter(PipelineMetrics.CONFLICTS);
    }

    @Override
    public void processElement(MeterReading reading, Context ctx, Collector<MeterReading> out) throws Exception {
        Double kept = valueByTimestamp.get(reading.timestamp());
        if (kept == null) {
            valueByTimestamp.put(reading.timestamp(), reading.value());
            out.collect(reading);
        } else if (Double.compare(kept, reading.value()) == 0) {
            duplicates.inc();
        } else {
            conflicts.inc();
            ctx.output(SideOutputs.CONFLICTS,
                    new DuplicateConflict(reading.meterId(), reading.timestamp(), kept, reading.value()));
        }
    }
}
