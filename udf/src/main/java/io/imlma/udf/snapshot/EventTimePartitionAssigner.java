package io.imlma.udf.snapshot;

import io.imlma.common.integrity.PartitionGranularity;
import io.imlma.common.types.FeatureRow;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

/**
 * Puts each row in the partition of its interval's start ({@code dt=YYYY-MM-DD} or {@code dt=YYYY-MM-DDTHH}, UTC),
 * by event time rather than processing time, so a replay writes the same partitions as the original run.
 */
public final class EventTimePartitionAssigner implements BucketAssigner<FeatureRow, String> {
    private static final long serialVersionUID = 1L;

    private final PartitionGranularity granularity;

    public EventTimePartitionAssigner(PartitionGranularity granularity) {
        this.granularity = granularity;
    }

    @Override
    public String getBucketId(FeatureRow row, Context context) {
        return granularity.partitionId(row.windowStart());
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return SimpleVersionedStringSerializer.INSTANCE;
    }
}
