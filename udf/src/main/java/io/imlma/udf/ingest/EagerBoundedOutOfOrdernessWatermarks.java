package io.imlma.udf.ingest;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness watermarks that advance as soon as an event raises the maximum timestamp, not only on
 * the periodic tick. Lateness then depends on the order of the input alone, not on how fast it was read, so a
 * replay or a test gives the same late records every time. The output drops watermarks that do not advance, so
 * this costs one watermark per new maximum.
 */
public class EagerBoundedOutOfOrdernessWatermarks<T> extends BoundedOutOfOrdernessWatermarks<T> {
    public EagerBoundedOutOfOrdernessWatermarks(Duration maxOutOfOrderness) {
        super(maxOutOfOrderness);
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        super.onEvent(event, eventTimestamp, output);
        onPeriodicEmit(output);
    }
}
