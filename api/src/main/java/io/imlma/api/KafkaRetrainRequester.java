package io.imlma.api;

import io.imlma.common.config.Settings;
import io.imlma.common.config.Option;
import io.imlma.common.kafka.KafkaJsonProducer;
import io.imlma.common.kafka.KafkaOptions;
import io.imlma.common.kafka.RetrainCommands;
import io.imlma.common.types.RetrainCommand;
import java.util.List;
import java.util.Optional;

/**
 * The standalone server's {@link RetrainRequester}: publishes each request as a MANUAL retrain command
 * ({@link RetrainCommands}) to Kafka, where the streaming job's trigger reads it; a request is accepted once the
 * broker acknowledged the record. Settings: {@link #OPTIONS}.
 *
 * <p>The producer is made at the first request, not at start: the API's other calls do not need Kafka, and a broker
 * that cannot be reached yet fails only /train (503), which a later request retries.
 */
public final class KafkaRetrainRequester implements RetrainRequester, AutoCloseable {
    public static final List<Option<?>> OPTIONS = List.of(KafkaOptions.BOOTSTRAP_SERVERS, RetrainCommands.TOPIC);

    private final String bootstrapServers;
    private final String topic;
    private KafkaJsonProducer producer;

    public KafkaRetrainRequester(String bootstrapServers, String topic) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
    }

    /** A requester for the configured broker and topic; empty without {@link KafkaOptions#BOOTSTRAP_SERVERS}. */
    public static Optional<KafkaRetrainRequester> from(Settings settings) {
        return KafkaOptions.BOOTSTRAP_SERVERS.find(settings)
                .map(servers -> new KafkaRetrainRequester(servers, RetrainCommands.topic(settings)));
    }

    public String topic() {
        return topic;
    }

    @Override
    public void request(RetrainCommand command) throws Exception {
        producer().send(topic, command.modelName(), command);
    }

    private synchronized KafkaJsonProducer producer() {
        if (producer == null) {
            producer = new KafkaJsonProducer(bootstrapServers);
        }
        return producer;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close();
        }
    }
}
