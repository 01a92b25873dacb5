package io.imlma.common.types;

/**
 * One validated smart-meter reading.
 *
 * @param meterId    meter identity, e.g. {@code ETTm1/HUFL}
 * @param timestamp  event time, epoch milliseconds (UTC)
 * @param value      measured value; finite
 * @param ingestTime wall-clock time the reading entered the pipeline, epoch milliseconds (for latency monitoring)
 */
public record MeterReading(String meterId, long timestamp, double value, long ingestTime) {}
