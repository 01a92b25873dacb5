package io.imlma.common.kafka;

import io.imlma.common.config.Option;
import java.util.List;

/**
 * The topic of forecasts ({@link #TOPIC}): the streaming job's {@code Prediction}s, JSON keyed by meter id, written
 * exactly once; the API follows it to answer /predict for a meter the job serves.
 */
public final class Predictions {
    public static final Option<String> TOPIC = Option.string("kafka.topic.predictions").defaultValue("predictions")
            .description("Kafka topic of forecasts: each meter's next H intervals, issued at every closed interval.");
    public static final List<Option<?>> OPTIONS = List.of(TOPIC);

    private Predictions() {}
}
