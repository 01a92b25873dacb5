package io.imlma.jobs.preprocess.reference;

/** Statistics of one meter over one 15-minute event-time window [windowStart, windowEnd). */
public record WindowAggregate(
        String meterId, long windowStart, long windowEnd, double mean, double min, double max, long count,
        long maxIngestTime) {}
