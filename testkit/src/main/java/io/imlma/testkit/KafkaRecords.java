package io.imlma.testkit;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;

/** Writes string records to a topic and reads them back as a {@code read_committed} consumer sees them. */
public final class KafkaRecords {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration MAX_POLL = Duration.ofMillis(200);
    private static final Duration METADATA_RETRY_INTERVAL = Duration.ofMillis(100);

    private KafkaRecords() {}

    /** Sends the values without keys and returns once the broker acknowledged all of them ({@code acks=all}). */
    public static void produce(String bootstrapServers, String topic, List<String> values) {
        produce(bootstrapServers, values.stream().map(value -> new ProducerRecord<String, String>(topic, value))
                .toList());
    }

    /** Sends the records and returns once the broker acknowledged all of them ({@code acks=all}). */
    public static void produce(String bootstrapServers, List<ProducerRecord<String, String>> records) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties(bootstrapServers))) {
            List<Future<RecordMetadata>> acks = records.stream().map(producer::send).toList();
            producer.flush();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot produce " + records.size() + " records to " + bootstrapServers, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while producing to " + bootstrapServers, e);
        }
    }

    /**
     * Reads the topic from the beginning, as an {@code isolation.level=read_committed} consumer without a group,
     * until at least {@code expectedCount} records have arrived, and then on to the end of what is committed at that
     * moment, so that records beyond the expected ones (duplicates, for example) are returned too. Records of
     * aborted or still open transactions are never returned.
     *
     * @throws AssertionError if the records do not arrive within {@code timeout}; the message says how many did
     */
    public static List<ConsumerRecord<String, String>> readCommitted(String bootstrapServers, String topic,
            int expectedCount, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(readCommittedProperties(bootstrapServers))) {
            List<TopicPartition> partitions = awaitPartitions(consumer, topic, deadline, timeout);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            pollUntil(consumer, records, deadline, () -> records.size() >= expectedCount,
                    () -> "expected " + expectedCount + " committed records in topic " + topic + " within " + timeout
                            + " but read " + records.size() + ": " + values(records));
            Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions);
            // for a read_committed consumer the end offsets are the last stable offsets, which the position passes
            // once all committed records and transaction markers before them have been read
            pollUntil(consumer, records, deadline, () -> endOffsets.entrySet().stream()
                    .allMatch(end -> consumer.position(end.getKey()) >= end.getValue()),
                    () -> "could not read topic " + topic + " up to its committed end offsets " + endOffsets
                            + " within " + timeout + "; read " + records.size() + ": " + values(records));
            return records;
        }
    }

    /**
     * Every record committed to the topic at the moment of the call, read as {@code read_committed}; waits up to
     * {@code timeout} for the topic to exist.
     */
    public static List<ConsumerRecord<String, String>> readAllCommitted(String bootstrapServers, String topic,
            Duration timeout) {
        return readCommitted(bootstrapServers, topic, 0, timeout);
    }

    public static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    /**
     * Adds what the consumer's polls return (each waits up to 200 ms for records) until {@code done}.
     *
     * @throws AssertionError with {@code failure}'s message if it is not done by the deadline
     */
    private static void pollUntil(KafkaConsumer<String, String> consumer, List<ConsumerRecord<String, String>> records,
            long deadline, BooleanSupplier done, Supplier<String> failure) {
        try {
            // the consumer's own poll is the wait; the consumer is used from this thread only
            await().atMost(remaining(deadline)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .pollInSameThread().until(() -> {
                        if (done.getAsBoolean()) {
                            return true;
                        }
                        consumer.poll(pollDuration(deadline)).forEach(records::add);
                        return false;
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(failure.get(), e);
        }
    }

    private static List<TopicPartition> awaitPartitions(KafkaConsumer<String, String> consumer, String topic,
            long deadline, Duration timeout) {
        try {
            // the topic may be created by the code under test; asked again until the deadline
            return await().atMost(remaining(deadline)).pollDelay(Duration.ZERO).pollInterval(METADATA_RETRY_INTERVAL)
                    .pollInSameThread().ignoreException(org.apache.kafka.common.errors.TimeoutException.class)
                    .until(() -> consumer.partitionsFor(topic, pollDuration(deadline)),
                            partitions -> partitions != null && !partitions.isEmpty())
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("topic " + topic + " does not exist after " + timeout, e);
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    }

    private static Duration pollDuration(long deadline) {
        long remaining = Math.max(1, deadline - System.nanoTime());
        return Duration.ofNanos(Math.min(remaining, MAX_POLL.toNanos()));
    }

    private static Properties producerProperties(String bootstrapServers) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return properties;
    }

    private static Properties readCommittedProperties(String bootstrapServers) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // reading must not create the topic: the code under test may create it with its own partition count
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return properties;
    }
}
