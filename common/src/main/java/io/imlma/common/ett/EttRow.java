package io.imlma.common.ett;

/**
 * One data line of an ETT-format CSV.
 *
 * @param timestamp the line's date, epoch milliseconds (the files' dates are UTC)
 * @param values    the channels' values, finite, in the order of {@link EttHeader#channels()}
 */
public record EttRow(long timestamp, double[] values) {}
