package io.imlma.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.util.function.SerializableFunction;

/**
 * A probe at the end of a running job: notes, per key, the first record that arrived and the wall-clock time it
 * arrived. The job runs in this JVM, so the notes are shared through a static map, by probe name.
 */
final class FirstArrivalSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, Map<Object, Arrival<?>>> ARRIVALS = new ConcurrentHashMap<>();

    /** A record and the wall-clock time (epoch ms) a sink writer received it. */
    record Arrival<T>(T record, long wallClockMs) {}

    private final String probe;
    private final SerializableFunction<T, Object> key;

    private FirstArrivalSink(String probe, SerializableFunction<T, Object> key) {
        this.probe = probe;
        this.key = key;
    }

    /** A sink noting first arrivals under {@code probe}, which starts empty. */
    static <T> FirstArrivalSink<T> named(String probe, SerializableFunction<T, Object> key) {
        ARRIVALS.put(probe, new ConcurrentHashMap<>());
        return new FirstArrivalSink<>(probe, key);
    }

    /** The first arrival of each key so far. */
    @SuppressWarnings("unchecked")
    static <T> Map<Object, Arrival<T>> arrivals(String probe) {
        return Map.copyOf((Map<Object, Arrival<T>>) (Map<?, ?>) ARRIVALS.get(probe));
    }

    static void forget(String probe) {
        ARRIVALS.remove(probe);
    }

    @Override
    @SuppressWarnings("deprecation") // Flink 1.20 still requires this overload
    public SinkWriter<T> createWriter(InitContext context) {
        Map<Object, Arrival<?>> arrivals = ARRIVALS.get(probe);
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) {
                Arrival<T> now = new Arrival<>(element, System.currentTimeMillis());
                // parallel writers: the earlier arrival wins
                arrivals.merge(key.apply(element), now,
                        (a, b) -> a.wallClockMs() <= b.wallClockMs() ? a : b);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
