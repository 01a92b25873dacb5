package io.imlma.jobs;

import java.util.Collection;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.contrib.streaming.state.ConfigurableRocksDBOptionsFactory;
import org.apache.flink.contrib.streaming.state.RocksDBConfigurableOptions;
import org.apache.flink.contrib.streaming.state.RocksDBOptionsFactory;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;

/**
 * Turns RocksDB's Bloom filters on unless the configuration says {@code state.backend.rocksdb.use-bloom-filter:
 * false}; bits per key and block-based mode come from the configuration as usual.
 *
 * <p>Most of the pipeline's state reads are for keys that do not exist yet (a new timestamp in deduplication, a new
 * window's accumulator). Without a filter RocksDB must search every level's index and data blocks to be sure of a
 * miss; with one it skips nearly all of them. Flink's own default is off, so this factory changes only the default
 * and keeps every other option (predefined, managed memory, cluster settings) as Flink sets it.
 */
final class BloomFiltersByDefault implements ConfigurableRocksDBOptionsFactory {
    private static final long serialVersionUID = 1L;

    private final boolean enabled;
    private final double bitsPerKey;
    private final boolean blockBasedMode;

    BloomFiltersByDefault() {
        this(true, RocksDBConfigurableOptions.BLOOM_FILTER_BITS_PER_KEY.defaultValue(),
                RocksDBConfigurableOptions.BLOOM_FILTER_BLOCK_BASED_MODE.defaultValue());
    }

    private BloomFiltersByDefault(boolean enabled, double bitsPerKey, boolean blockBasedMode) {
        this.enabled = enabled;
        this.bitsPerKey = bitsPerKey;
        this.blockBasedMode = blockBasedMode;
    }

    @Override
    public RocksDBOptionsFactory configure(ReadableConfig config) {
        return new BloomFiltersByDefault(
                config.getOptional(RocksDBConfigurableOptions.USE_BLOOM_FILTER).orElse(true),
                config.get(RocksDBConfigurableOptions.BLOOM_FILTER_BITS_PER_KEY),
                config.get(RocksDBConfigurableOptions.BLOOM_FILTER_BLOCK_BASED_MODE));
    }

    @Override
    public DBOptions createDBOptions(DBOptions currentOptions, Collection<AutoCloseable> handlesToClose) {
        return currentOptions;
    }

    @Override
    public ColumnFamilyOptions createColumnOptions(ColumnFamilyOptions currentOptions,
            Collection<AutoCloseable> handlesToClose) {
        if (!enabled || !(currentOptions.tableFormatConfig() instanceof BlockBasedTableConfig table)
                || table.filterPolicy() != null) {
            return currentOptions; // off, not a block-based table, or Flink already set the configured filter
        }
        BloomFilter filter = new BloomFilter(bitsPerKey, blockBasedMode);
        handlesToClose.add(filter);
        return currentOptions.setTableFormatConfig(table.setFilterPolicy(filter));
    }
}
