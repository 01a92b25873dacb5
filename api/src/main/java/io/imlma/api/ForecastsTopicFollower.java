package io.imlma.api;

import io.imlma.common.config.Option;
import io.imlma.common.json.Json;
import io.imlma.common.types.Prediction;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the streaming job's predictions topic (committed records only, so an aborted transaction's forecasts never
 * show) on a thread of its own and hands each forecast on. It starts {@link #LOOKBACK} back in time, so the latest
 * forecast of every meter is known as soon as the records of one interval are read, and waits for a topic that
 * does not exist yet. An unreadable record is logged and skipped.
 */
public final class ForecastsTopicFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ForecastsTopicFollower.class);
    public static final Option<Duration> LOOKBACK = Option.duration("api.issued-forecasts.lookback")
            .defaultValue(Duration.ofHours(1)).check(d -> !d.isNegative(), "must not be negative")
            .description("How far back the API starts reading the predictions topic for each meter's latest"
                    + " forecast; one 15-minute interval of forecasts covers every meter that reports.");
    public static final List<Option<?>> OPTIONS = List.of(LOOKBACK);
    private static final Duration POLL = Duration.ofMillis(500);

    private final KafkaConsumer<String, String> consumer;
    private final String topic;
    private final Duration lookback;
    private final Consumer<Prediction> forecasts;
    private final Thread thread;
    private volatile boolean running = true;

    private ForecastsTopicFollower(String bootstrapServers, String topic, Duration lookback,
            Consumer<Prediction> forecasts) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
        this.topic = topic;
        this.lookback = lookback;
        this.forecasts = forecasts;
        this.thread = new Thread(this::follow, "forecasts-topic-follower");
        thread.setDaemon(true);
    }

    /** Starts following {@code topic}; each forecast read goes to {@code forecasts}. */
    public static ForecastsTopicFollower start(String bootstrapServers, String topic, Duration lookback,
            Consumer<Prediction> forecasts) {
        ForecastsTopicFollower follower = new ForecastsTopicFollower(bootstrapServers, topic, lookback, forecasts);
        follower.thread.start();
        return follower;
    }

    private void follow() {
        try {
            if (!assign()) {
                return;
            }
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                    try {
                        forecasts.accept(Json.MAPPER.readValue(record.value(), Prediction.class));
                    } catch (Exception e) {
                        LOG.warn("Skipping an unreadable record at {}-{}@{}: {}", record.topic(), record.partition(),
                                record.offset(), e.toString());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (Exception e) {
            LOG.error("Stopped following {}: /predict no longer learns the job's new forecasts", topic, e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Assigns every partition, positioned {@link #lookback} ago; false when closed while waiting for the topic. */
    private boolean assign() throws InterruptedException {
        List<PartitionInfo> partitions = List.of();
        while (running && partitions.isEmpty()) {
            try {
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            } catch (TimeoutException e) {
                partitions = List.of(); // no broker reached yet
            }
            if (partitions.isEmpty()) {
                Thread.sleep(POLL.toMillis());
            }
        }
        if (!running) {
            return false;
        }
        List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(assigned);
        long from = System.currentTimeMillis() - lookback.toMillis();
        Map<TopicPartition, Long> times = new HashMap<>();
        assigned.forEach(p -> times.put(p, from));
        consumer.offsetsForTimes(times).forEach((partition, offset) -> {
            if (offset == null) {
                consumer.seekToEnd(List.of(partition));
            } else {
                consumer.seek(partition, offset.offset());
            }
        });
        LOG.info("Following the job's forecasts on {} ({} partitions) from {} back", topic, assigned.size(),
                lookback);
        return true;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(Duration.ofSeconds(10).toMillis());
    }
}
