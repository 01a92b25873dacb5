package io.imlma.common.integrity;

/**
 * A snapshot partition is complete: its files are committed, its manifest written and backed up. Emitted in
 * partition order; the retraining trigger counts {@code rows} and names only ranges made of such partitions.
 *
 * @param partitionId  directory name, e.g. {@code dt=2016-07-01}
 * @param rangeStart   event-time start, epoch ms (inclusive)
 * @param rangeEnd     event-time end, epoch ms (exclusive)
 * @param rows         rows in the partition (0 for an empty partition, which still gets a manifest)
 * @param manifestPath URI of the partition's manifest
 */
public record PartitionCommitted(String partitionId, long rangeStart, long rangeEnd, long rows, String manifestPath) {}
