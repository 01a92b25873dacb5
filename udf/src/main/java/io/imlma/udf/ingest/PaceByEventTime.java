package io.imlma.udf.ingest;

import io.imlma.common.types.MeterReading;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Replays readings no faster than {@code speedUp} times real time: a reading whose event time lies {@code d} after
 * the first one is released {@code d / speedUp} after the first was seen. Sleeping here is the point: it throttles
 * a replay source so two years of 15-minute data play out in minutes rather than in one burst.
 * Expects time-ordered input (a replayed file), one instance per source split. The ingest time is re-stamped on
 * release, so latency figures downstream do not count the deliberate wait.
 */
public class PaceByEventTime extends RichMapFunction<MeterReading, MeterReading> {
    private final double speedUp;
    private transient long firstEventTime;
    private transient long startWallTime;
    private transient boolean started;

    public PaceByEventTime(double speedUp) {
        if (!(speedUp > 0) || !Double.isFinite(speedUp)) {
            throw new IllegalArgumentException("speed-up factor must be a positive number, got " + speedUp);
        }
        this.speedUp = speedUp;
    }

    @Override
    public void open(OpenContext openContext) {
        started = false;
    }

    @Override
    public MeterReading map(MeterReading reading) throws InterruptedException {
        long now = System.currentTimeMillis();
        if (!started) {
            started = true;
            firstEventTime = reading.timestamp();
            startWallTime = now;
            return reading;
        }
        long due = startWallTime + (long) ((reading.timestamp() - firstEventTime) / speedUp);
        if (due > now) {
            Thread.sleep(due - now);
        }
        return new MeterReading(reading.meterId(), reading.timestamp(), reading.value(), System.currentTimeMillis());
    }
}
