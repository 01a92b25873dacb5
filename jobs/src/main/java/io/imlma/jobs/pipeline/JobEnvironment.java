package io.imlma.jobs.pipeline;

import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The one place where state backend and checkpointing of the streaming jobs are set up. */
public final class JobEnvironment {
    private JobEnvironment() {}

    /**
     * RocksDB state with incremental checkpoints, exactly-once checkpointing to {@code config.checkpointDir()}.
     * Other RocksDB options come from the cluster configuration, which Flink merges into this backend.
     */
    @SuppressWarnings("deprecation") // the typed setters are clearer here than string-keyed configuration
    public static StreamExecutionEnvironment configure(StreamExecutionEnvironment env, PipelineConfig config) {
        EmbeddedRocksDBStateBackend rocksDb = new EmbeddedRocksDBStateBackend(true);
        // Timers on the heap: a few per meter, and the pipeline registers and deletes them for every window; in
        // RocksDB the deletes leave tombstones that every timer scan must skip (measured 10x slower, see
        // PipelineBenchmark). Heap timers are still part of every checkpoint.
        rocksDb.setPriorityQueueStateType(EmbeddedRocksDBStateBackend.PriorityQueueStateType.HEAP);
        // No Bloom filters: in PipelineBenchmark, with the former preprocessing whose state reads mostly missed (a new
        // dedup timestamp, a new window), they saved ~10% CPU with 512 MB managed memory but cost 1.5-5x more with the
        // local default of 128 MB, presumably whole-file filter blocks thrashing the block cache. PreprocessReadings
        // reads keys that exist, where a filter helps less still.
        env.setStateBackend(rocksDb);
        env.enableCheckpointing(config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        env.getCheckpointConfig().setCheckpointStorage(config.checkpointDir());
        // the pipeline's records are immutable Java records: no defensive copies between chained operators
        env.getConfig().enableObjectReuse();
        return env;
    }
}
