package io.imlma.common.kafka;

import io.imlma.common.config.Option;

/** The Kafka setting every program that talks to Kafka shares, declared once. */
public final class KafkaOptions {
    /** Required by the streaming job; optional for the API, whose POST /train answers 503 without it. */
    public static final Option<String> BOOTSTRAP_SERVERS = Option.string("kafka.bootstrap.servers")
            .defaultText("(required by the streaming job; without it the API's POST /train answers 503)")
            .description("The Kafka brokers, host:port[,host:port...].");

    private KafkaOptions() {}
}
