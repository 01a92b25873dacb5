package io.imlma.udf.preprocess;

import io.imlma.common.types.DuplicateConflict;
import io.imlma.common.types.MeterReading;
import io.imlma.udf.PipelineMetrics;
import io.imlma.udf.SideOutputs;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
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
 *
 * <p>A meter's readings mostly come in time order, so each meter also keeps the latest timestamp it has sent: a
 * later one cannot be in the map, and its lookup is skipped. That lookup was the pipeline's most expensive step
 * with RocksDB: a miss among all meters' remembered timestamps, spread over the whole database, where the latest
 * timestamps are one small, hot entry per meter. State restored without the latest timestamp (from before it
 * existed) just takes the lookup until the meter's next reading.
 */
public class DeduplicateReadings extends KeyedProcessFunction<String, MeterReading, MeterReading> {
    private final Duration ttl;
    private transient MapState<Long, Double> valueByTimestamp;
    private transient ValueState<Long> latestTimestamp;
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
        latestTimestamp = getRuntimeContext().getState(new ValueStateDescriptor<>("latest-timestamp", Types.LONG));
        var metrics = getRuntimeContext().getMetricGroup();
        duplicates = metrics.counter(PipelineMetrics.DUPLICATES);
        conflicts = metrics.counter(PipelineMetrics.CONFLICTS);
    }

    @Override
    public void processElement(MeterReading reading, Context ctx, Collector<MeterReading> out) throws Exception {
        Long latest = latestTimestamp.value();
        // without a latest timestamp (a meter's first reading, or state from before it existed) the map must answer
        boolean laterThanAllKept = latest != null && reading.timestamp() > latest;
        Double kept = laterThanAllKept ? null : valueByTimestamp.get(reading.timestamp());
        if (kept == null) {
            valueByTimestamp.put(reading.timestamp(), reading.value());
            if (latest == null || reading.timestamp() > latest) {
                latestTimestamp.update(reading.timestamp());
            }
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
