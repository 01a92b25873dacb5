package io.imlma.common.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class IntegrityStoreTest {
    @Test
    void storesOverTheSameBasesAreEqual() {
        IntegrityStore store = new IntegrityStore(URI.create("hdfs://nn:8020/models"), URI.create("hdfs://bk:8020/m"));
        IntegrityStore sameWithSlashes = new IntegrityStore(URI.create("hdfs://nn:8020/models/"),
                URI.create("hdfs://bk:8020/m/"));
        assertThat(store).isEqualTo(sameWithSlashes).hasSameHashCodeAs(sameWithSlashes);
        assertThat(store).isNotEqualTo(new IntegrityStore(URI.create("hdfs://nn:8020/models"),
                URI.create("hdfs://bk:8020/other")));
        assertThat(store).isNotEqualTo(new IntegrityStore(URI.create("hdfs://bk:8020/m"),
                URI.create("hdfs://nn:8020/models")));
    }
}
