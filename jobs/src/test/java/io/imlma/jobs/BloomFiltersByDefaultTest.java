package io.imlma.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.contrib.streaming.state.RocksDBConfigurableOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.RocksDB;

class BloomFiltersByDefaultTest {
    private final List<AutoCloseable> handles = new ArrayList<>();

    @BeforeAll
    static void loadRocksDb() {
        RocksDB.loadLibrary();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable handle : handles) {
            handle.close();
        }
    }

    @Test
    void addsAFilterWhenTheConfigurationIsSilent() {
        ColumnFamilyOptions options = columnOptions(new Configuration());
        assertThat(((BlockBasedTableConfig) options.tableFormatConfig()).filterPolicy()).isNotNull();
    }

    @Test
    void leavesTablesAloneWhenTheConfigurationTurnsFiltersOff() {
        Configuration off = new Configuration();
        off.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, false);
        ColumnFamilyOptions options = columnOptions(off);
        assertThat(((BlockBasedTableConfig) options.tableFormatConfig()).filterPolicy()).isNull();
    }

    /** Column options as Flink hands them to a factory: a block-based table without a filter. */
    private ColumnFamilyOptions columnOptions(Configuration config) {
        ColumnFamilyOptions options = new ColumnFamilyOptions().setTableFormatConfig(new BlockBasedTableConfig());
        handles.add(options);
        return new BloomFiltersByDefault().configure(config).createColumnOptions(options, handles);
    }
}
