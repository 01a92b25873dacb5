package io.imlma.common.types;

/**
 * A record that could not be used, kept with the reason so nothing is lost silently.
 *
 * @param source     where it came from (topic, file name)
 * @param payload    the original payload, unmodified
 * @param reason     why it was rejected, readable by an operator
 * @param detectedAt wall-clock time of rejection, epoch milliseconds
 */
public record DeadLetter(String source, String payload, String reason, long detectedAt) {}
