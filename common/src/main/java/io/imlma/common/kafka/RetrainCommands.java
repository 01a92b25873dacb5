package io.imlma.common.kafka;

import io.imlma.common.config.Option;
import io.imlma.common.config.Settings;
import java.util.List;

/**
 * The topic of retrain commands ({@link #TOPIC}): requests to retrain now, JSON
 * {@code {"modelName", "requestedBy", "requestedAt" (epoch ms), "reason" (MANUAL or DRIFT; missing means MANUAL)}}.
 * The API publishes operators' requests there, the streaming job its drift monitor's, and the streaming job reads
 * them all as its retrain trigger's second input.
 */
public final class RetrainCommands {
    public static final Option<String> TOPIC = Option.string("kafka.topic.retrain-commands")
            .defaultValue("retrain-commands")
            .description("Kafka topic of retrain commands (manual and drift requests to retrain now).");
    public static final List<Option<?>> OPTIONS = List.of(TOPIC);

    private RetrainCommands() {}

    public static String topic(Settings settings) {
        return TOPIC.value(settings);
    }
}
