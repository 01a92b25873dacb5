package io.imlma.common.kafka;

import io.imlma.common.config.Settings;

/**
 * The topic of retrain commands ({@value #TOPIC}, default {@value #DEFAULT_TOPIC}): requests to retrain now, JSON
 * {@code {"modelName", "requestedBy", "requestedAt" (epoch ms), "reason" (MANUAL or DRIFT; missing means MANUAL)}}.
 * The API publishes operators' requests there, the streaming job its drift monitor's, and the streaming job reads
 * them all as its retrain trigger's second input.
 */
public final class RetrainCommands {
    public static final String TOPIC = "kafka.topic.retrain-commands";
    public static final String DEFAULT_TOPIC = "retrain-commands";

    private RetrainCommands() {}

    public static String topic(Settings settings) {
        String topic = settings.string(TOPIC, DEFAULT_TOPIC);
        Settings.require(!topic.isBlank(), TOPIC, "must not be empty");
        return topic;
    }
}
