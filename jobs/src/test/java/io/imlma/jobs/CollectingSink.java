package io.imlma.jobs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;

/** Test sink: collects everything into a list shared by name (the MiniCluster runs in the test's JVM). */
public final class CollectingSink<T> implements Sink<T> {
    private static final Map<String, List<Object>> COLLECTED = new ConcurrentHashMap<>();
    private final String name;

    private CollectingSink(String name) {
        this.name = name;
    }

    /** A sink writing into a fresh list called {@code name}. */
    public static <T> CollectingSink<T> named(String name) {
        // not copy-on-write: a replay collects tens of thousands of rows, each add would copy them all
        COLLECTED.put(name, Collections.synchronizedList(new ArrayList<>()));
        return new CollectingSink<>(name);
    }

    @SuppressWarnings("unchecked")
    public static <T> List<T> collected(String name) {
        return (List<T>) List.copyOf(COLLECTED.get(name));
    }

    @Override
    @SuppressWarnings("deprecation") // Flink 1.20 still requires this overload
    public SinkWriter<T> createWriter(InitContext context) {
        List<Object> target = COLLECTED.get(name);
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) {
                target.add(element);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
