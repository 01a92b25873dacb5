package io.imlma.udf.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imlma.common.features.FeatureSettings;
import io.imlma.common.features.IntervalAccumulator;
import io.imlma.common.types.FeatureRow;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class MeterStateSerializerTest {
    private static final MeterStateSerializer SERIALIZER = MeterStateSerializer.INSTANCE;
    private static final long I = FeatureSettings.DEFAULTS.intervalMillis();

    private static MeterState sample() {
        MeterState state = new MeterState();
        IntervalAccumulator first = new IntervalAccumulator();
        first.add(4.0, 10);
        state.features.observe("m", 0, first, FeatureSettings.DEFAULTS, r -> { });
        state.openNew(2 * I).add(2 * I + 5, -0.0, 77);
        OpenInterval open = state.openNew(I);
        open.add(I + 1, 1.25, 70);
        open.add(I + 2, Double.MIN_VALUE, 71);
        state.recent = new double[] {4.0, 1.25, -3.5};
        return state;
    }

    private static byte[] bytes(MeterState state) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        SERIALIZER.serialize(state, out);
        return out.getCopyOfBuffer();
    }

    /** The rows the state would emit from here: what it means. */
    private static List<FeatureRow> future(MeterState state) {
        List<FeatureRow> rows = new ArrayList<>();
        for (OpenInterval interval : state.open) {
            state.features.observe("m", interval.start, interval.aggregate(), FeatureSettings.DEFAULTS, rows::add);
        }
        return rows;
    }

    @Test
    void writesAndReadsEveryField() throws Exception {
        byte[] written = bytes(sample());
        MeterState read = SERIALIZER.deserialize(new DataInputDeserializer(written));

        assertThat(bytes(read)).isEqualTo(written);
        assertThat(read.open).extracting(i -> i.start).containsExactly(I, 2 * I);
        assertThat(read.open.get(0).maxIngestTime).isEqualTo(71);
        assertThat(read.features.nextStart()).isEqualTo(I);
        assertThat(read.recent).containsExactly(4.0, 1.25, -3.5);
        assertThat(future(read)).hasSize(2).isEqualTo(future(sample()));
    }

    @Test
    void aMeterReportingOnceAnIntervalCostsEightyFourBytesAndEightPerRememberedValue() throws Exception {
        MeterState common = new MeterState();
        common.openNew(0).add(1, 1.0, 1);
        // features 40, number of open intervals 4, interval 8 + 8 + 4, one reading 16, number of recent values 4
        assertThat(bytes(common)).hasSize(84);
        common.recent = new double[48];
        assertThat(bytes(common)).hasSize(84 + 48 * 8);
    }

    @Test
    void copiesDeeply() throws Exception {
        MeterState state = sample();
        MeterState copy = SERIALIZER.copy(state);
        byte[] before = bytes(copy);
        state.open.get(0).add(I + 3, 9, 99);
        state.features.imputeUntil("m", 5 * I, FeatureSettings.DEFAULTS, r -> { });
        assertThat(bytes(copy)).isEqualTo(before);
    }

    @Test
    void itsSnapshotRestoresItAndAcceptsItsOwnVersion() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(16);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, SERIALIZER.snapshotConfiguration());
        TypeSerializerSnapshot<MeterState> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());

        assertThat(read.restoreSerializer()).isSameAs(SERIALIZER);
        assertThat(SERIALIZER.snapshotConfiguration().resolveSchemaCompatibility(read).isCompatibleAsIs()).isTrue();
    }

    /** Version 1 bytes: version 2 without the recent values. */
    private static byte[] version1Bytes(MeterState state) throws Exception {
        byte[] v2 = bytes(state);
        return java.util.Arrays.copyOf(v2, v2.length - 4 - 8 * state.recent.length);
    }

    @Test
    void readsVersion1StateAndMigratesIt() throws Exception {
        MeterStateSerializer.Snapshot v1 = new MeterStateSerializer.Snapshot();
        v1.readSnapshot(1, new DataInputDeserializer(new byte[0]), getClass().getClassLoader());

        assertThat(SERIALIZER.snapshotConfiguration().resolveSchemaCompatibility(v1).isCompatibleAfterMigration())
                .isTrue();
        MeterState read = v1.restoreSerializer().deserialize(new DataInputDeserializer(version1Bytes(sample())));
        assertThat(read.recent).isEmpty();
        // what Flink writes back after the migration reads as version 2
        MeterState migrated = SERIALIZER.deserialize(new DataInputDeserializer(bytes(read)));
        assertThat(future(read)).isEqualTo(future(sample()));
        assertThat(migrated.recent).isEmpty();
        assertThat(future(migrated)).isEqualTo(future(sample()));
    }

    @Test
    void refusesAVersionItDoesNotKnow() {
        MeterStateSerializer.Snapshot snapshot = new MeterStateSerializer.Snapshot();
        assertThatThrownBy(() -> snapshot.readSnapshot(3, new DataInputDeserializer(new byte[0]),
                getClass().getClassLoader())).hasMessageContaining("version 3");
    }
}
