package io.imlma.udf.preprocess;

import io.imlma.common.features.MeterFeatures;
import io.imlma.common.features.RunningStatistics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Hand-written serializer of {@link MeterState}: fixed field order, no class names, no Kryo. Format version 2 is the
 * layout documented on {@link MeterState}; version 1 is the same without {@code recent}. The version lives in the
 * checkpoint's serializer snapshot, not in every value: state written in version 1 is read by a serializer of that
 * format ({@link Snapshot#restoreSerializer()}) and, being "compatible after migration", rewritten by Flink in
 * version 2 on restore (docs/state.md).
 */
public final class MeterStateSerializer extends TypeSerializer<MeterState> {
    private static final long serialVersionUID = 2L;

    /** Writes and reads the current format. */
    public static final MeterStateSerializer INSTANCE = new MeterStateSerializer(Snapshot.VERSION);

    /** The format this instance reads (and writes: only the current one is ever written in a running job). */
    private final int format;

    private MeterStateSerializer(int format) {
        this.format = format;
    }

    @Override
    public TypeSerializer<MeterState> duplicate() {
        return this;
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public MeterState createInstance() {
        return new MeterState();
    }

    @Override
    public MeterState copy(MeterState from) {
        return from.copy();
    }

    @Override
    public MeterState copy(MeterState from, MeterState reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(MeterState state, DataOutputView out) throws IOException {
        MeterFeatures features = state.features;
        RunningStatistics statistics = features.statistics();
        out.writeLong(features.nextStart());
        out.writeDouble(features.sumOfMeans());
        out.writeLong(statistics.count());
        out.writeDouble(statistics.mean());
        out.writeDouble(statistics.m2());
        out.writeInt(state.open.size());
        for (OpenInterval interval : state.open) {
            out.writeLong(interval.start);
            out.writeLong(interval.maxIngestTime);
            out.writeInt(interval.readings.length);
            for (long word : interval.readings) {
                out.writeLong(word);
            }
        }
        if (format >= 2) {
            out.writeInt(state.recent.length);
            for (double value : state.recent) {
                out.writeDouble(value);
            }
        }
    }

    @Override
    public MeterState deserialize(DataInputView in) throws IOException {
        long nextStart = in.readLong();
        double sumOfMeans = in.readDouble();
        RunningStatistics statistics = new RunningStatistics(in.readLong(), in.readDouble(), in.readDouble());
        int openIntervals = in.readInt();
        List<OpenInterval> open = new ArrayList<>(Math.max(2, openIntervals));
        for (int i = 0; i < openIntervals; i++) {
            long start = in.readLong();
            long maxIngestTime = in.readLong();
            long[] readings = new long[in.readInt()];
            for (int j = 0; j < readings.length; j++) {
                readings[j] = in.readLong();
            }
            open.add(new OpenInterval(start, maxIngestTime, readings));
        }
        double[] recent = MeterState.NO_VALUES;
        if (format >= 2) {
            recent = new double[in.readInt()];
            for (int i = 0; i < recent.length; i++) {
                recent[i] = in.readDouble();
            }
        }
        return new MeterState(new MeterFeatures(nextStart, sumOfMeans, statistics), open, recent);
    }

    @Override
    public MeterState deserialize(MeterState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<MeterState> snapshotConfiguration() {
        return new Snapshot();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MeterStateSerializer other && other.format == format;
    }

    @Override
    public int hashCode() {
        return format;
    }

    private Object readResolve() {
        return format == INSTANCE.format ? INSTANCE : this;
    }

    /** The format version of the state in a checkpoint; the serializer itself has no configuration. */
    public static final class Snapshot implements TypeSerializerSnapshot<MeterState> {
        static final int VERSION = 2;
        private int readVersion = VERSION;

        @Override
        public int getCurrentVersion() {
            return VERSION;
        }

        @Override
        public void writeSnapshot(DataOutputView out) {}

        @Override
        public void readSnapshot(int version, DataInputView in, ClassLoader classLoader) throws IOException {
            if (version < 1 || version > VERSION) {
                throw new IOException("meter state format version " + version + " is not known to this build"
                        + " (it reads version 1 to " + VERSION + ")");
            }
            readVersion = version;
        }

        @Override
        public TypeSerializer<MeterState> restoreSerializer() {
            return readVersion == VERSION ? INSTANCE : new MeterStateSerializer(readVersion);
        }

        @Override
        public TypeSerializerSchemaCompatibility<MeterState> resolveSchemaCompatibility(
                TypeSerializerSnapshot<MeterState> oldSnapshot) {
            if (!(oldSnapshot instanceof Snapshot old)) {
                return TypeSerializerSchemaCompatibility.incompatible();
            }
            return old.readVersion == VERSION
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
    }
}
