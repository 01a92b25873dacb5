package io.imlma.demo;

import io.imlma.common.types.Prediction;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;

/**
 * The demo job's forecasts handed to the API beside it in the same JVM (the local Flink cluster runs in-process),
 * so /predict can answer with a meter's latest forecast; by name, because Flink ships the sink serialized.
 */
final class ForecastsToApi implements Sink<Prediction> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, Consumer<Prediction>> RECEIVERS = new ConcurrentHashMap<>();

    private final String name;

    private ForecastsToApi(String name) {
        this.name = name;
    }

    /** A sink handing every forecast to {@code receiver}. */
    static ForecastsToApi to(String name, Consumer<Prediction> receiver) {
        RECEIVERS.put(name, receiver);
        return new ForecastsToApi(name);
    }

    @Override
    @SuppressWarnings("deprecation") // Flink 1.20 still requires this overload
    public SinkWriter<Prediction> createWriter(InitContext context) {
        Consumer<Prediction> receiver = RECEIVERS.get(name);
        return new SinkWriter<>() {
            @Override
            public void write(Prediction prediction, Context ctx) {
                receiver.accept(prediction);
            }

            @Override
            public void flush(boolean endOfInput) {
            }

            @Override
            public void close() {
            }
        };
    }
}
