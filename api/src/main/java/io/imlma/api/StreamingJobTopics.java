package io.imlma.api;

import io.imlma.common.config.Option;
import io.imlma.common.config.Settings;
import io.imlma.common.kafka.KafkaJsonProducer;
import io.imlma.common.kafka.KafkaOptions;
import io.imlma.common.kafka.ModelUpdates;
import io.imlma.common.kafka.RetrainCommands;
import io.imlma.common.types.ModelUpdate;
import io.imlma.common.types.RetrainCommand;
import java.util.List;
import java.util.Optional;

/**
 * The standalone server's link to the streaming job, through the Kafka topics the job reads: POST /train's requests
 * as MANUAL retrain commands ({@link RetrainCommands}), for the job's trigger, and promotions and rollbacks as model
 * updates ({@link ModelUpdates}), for the job's scorer. A record counts as delivered once the broker acknowledged
 * it. Settings: {@link #OPTIONS}.
 *
 * <p>The producer is made at the first record, not at start: the API's other calls do not need Kafka, and a broker
 * that cannot be reached yet fails only these calls, which a later one retries.
 */
public final class StreamingJobTopics implements RetrainRequester, ChampionAnnouncer, AutoCloseable {
    public static final List<Option<?>> OPTIONS = List.of(KafkaOptions.BOOTSTRAP_SERVERS, RetrainCommands.TOPIC,
            ModelUpdates.TOPIC);

    private final String bootstrapServers;
    private final String commandsTopic;
    private final String updatesTopic;
    private KafkaJsonProducer producer;

    public StreamingJobTopics(String bootstrapServers, String commandsTopic, String updatesTopic) {
        this.bootstrapServers = bootstrapServers;
        this.commandsTopic = commandsTopic;
        this.updatesTopic = updatesTopic;
    }

    /** The link over the configured broker and topics; empty without {@link KafkaOptions#BOOTSTRAP_SERVERS}. */
    public static Optional<StreamingJobTopics> from(Settings settings) {
        return KafkaOptions.BOOTSTRAP_SERVERS.find(settings).map(servers -> new StreamingJobTopics(servers,
                RetrainCommands.topic(settings), ModelUpdates.topic(settings)));
    }

    public String commandsTopic() {
        return commandsTopic;
    }

    public String updatesTopic() {
        return updatesTopic;
    }

    @Override
    public void request(RetrainCommand command) throws Exception {
        producer().send(commandsTopic, command.modelName(), command);
    }

    @Override
    public void announce(ModelUpdate champion) throws Exception {
        producer().send(updatesTopic, champion.modelName(), champion);
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
