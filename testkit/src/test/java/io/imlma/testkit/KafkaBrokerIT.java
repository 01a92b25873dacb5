package io.imlma.testkit;

import static io.imlma.testkit.KafkaRecords.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The test broker does what Flink's exactly-once Kafka sink and the project's Kafka tests rely on. */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaBrokerIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void createsTopicsWithTheRequestedPartitionsEachLedByTheBroker(KafkaBroker kafka) throws Exception {
        String topic = "kafka-broker-it.partitioned";
        kafka.createTopic(topic, 3);

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(topic);
            assertThat(description.partitions()).hasSize(3)
                    .allSatisfy(partition -> assertThat(partition.leader().port()).isEqualTo(kafka.port()));
        }
    }

    @Test
    void readsBackEveryProducedRecordFromAllPartitions(KafkaBroker kafka) {
        String topic = "kafka-broker-it.readings";
        kafka.createTopic(topic, 3);
        List<ProducerRecord<String, String>> records = IntStream.range(0, 30)
                .mapToObj(i -> new ProducerRecord<>(topic, i % 3, "meter-" + i % 7, "reading-" + i))
                .toList();

        KafkaRecords.produce(kafka.bootstrapServers(), records);
        List<ConsumerRecord<String, String>> read = KafkaRecords.readCommitted(kafka.bootstrapServers(), topic, 30,
                TIMEOUT);

        assertThat(values(read)).containsExactlyInAnyOrderElementsOf(records.stream().map(ProducerRecord::value)
                .toList());
        assertThat(read).extracting(ConsumerRecord::partition).containsOnly(0, 1, 2);
    }

    @Test
    void readCommittedSeesCommittedTransactionsButNotAbortedOnes(KafkaBroker kafka) {
        String topic = "kafka-broker-it.transactions";
        kafka.createTopic(topic, 1);

        try (KafkaProducer<String, String> producer = transactionalProducer(kafka, "commit-and-abort")) {
            producer.initTransactions();
            sendInTransaction(producer, topic, List.of("committed-1", "committed-2", "committed-3"));
            producer.commitTransaction();
            sendInTransaction(producer, topic, List.of("aborted-1", "aborted-2"));
            // written to the log before the abort, as a sink flushes at a checkpoint that later fails
            producer.flush();
            producer.abortTransaction();
            sendInTransaction(producer, topic, List.of("committed-4"));
            producer.commitTransaction();
        }

        assertThat(values(KafkaRecords.readCommitted(kafka.bootstrapServers(), topic, 4, TIMEOUT)))
                .containsExactly("committed-1", "committed-2", "committed-3", "committed-4");
        // the aborted records were written to the log; only the isolation level hides them
        assertThat(readUncommitted(kafka, topic, 6))
                .containsExactly("committed-1", "committed-2", "committed-3", "aborted-1", "aborted-2", "committed-4");
    }

    @Test
    void recordsOfAnOpenTransactionBecomeVisibleOnlyWhenItCommits(KafkaBroker kafka) {
        String topic = "kafka-broker-it.open-transaction";
        kafka.createTopic(topic, 1);

        try (KafkaProducer<String, String> producer = transactionalProducer(kafka, "open-then-commit")) {
            producer.initTransactions();
            sendInTransaction(producer, topic, List.of("pending"));
            producer.flush();

            assertThat(readUncommitted(kafka, topic, 1)).containsExactly("pending");
            assertThat(KafkaRecords.readAllCommitted(kafka.bootstrapServers(), topic, TIMEOUT)).isEmpty();

            producer.commitTransaction();
        }
        assertThat(values(KafkaRecords.readAllCommitted(kafka.bootstrapServers(), topic, TIMEOUT)))
                .containsExactly("pending");
    }

    @Test
    void rejectsATransactionTimeoutAboveTheBrokerMaximum(KafkaBroker kafka) {
        // Flink's KafkaSink asks for one hour unless transaction.timeout.ms is set
        Properties properties = transactionalProperties(kafka, "timeout-too-long");
        properties.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                String.valueOf(Duration.ofHours(1).toMillis()));

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties)) {
            assertThatThrownBy(producer::initTransactions)
                    .isInstanceOf(KafkaException.class)
                    .hasMessageContaining("transaction.max.timeout.ms");
        }
    }

    @Test
    void readCommittedFailsNamingTheCountWhenTooFewRecordsArrive(KafkaBroker kafka) {
        String topic = "kafka-broker-it.too-few";
        kafka.createTopic(topic, 1);
        KafkaRecords.produce(kafka.bootstrapServers(), topic, List.of("only-one"));

        assertThatThrownBy(() -> KafkaRecords.readCommitted(kafka.bootstrapServers(), topic, 2,
                Duration.ofSeconds(2)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected 2")
                .hasMessageContaining("read 1: [only-one]");
    }

    @Test
    void closeStopsTheBrokerProcessAndItsListener() {
        KafkaBroker broker = KafkaBroker.start();
        int port = broker.port();
        ProcessHandle process = ProcessHandle.of(broker.pid()).orElseThrow();
        assertThat(FreePorts.isListening(port)).isTrue();

        broker.close();

        assertThat(process.isAlive()).isFalse();
        assertThat(FreePorts.isListening(port)).isFalse();
    }

    private static KafkaProducer<String, String> transactionalProducer(KafkaBroker kafka, String transactionalId) {
        return new KafkaProducer<>(transactionalProperties(kafka, transactionalId));
    }

    private static Properties transactionalProperties(KafkaBroker kafka, String transactionalId) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "kafka-broker-it." + transactionalId);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return properties;
    }

    private static void sendInTransaction(KafkaProducer<String, String> producer, String topic, List<String> values) {
        producer.beginTransaction();
        values.forEach(value -> producer.send(new ProducerRecord<>(topic, value)));
    }

    /** Values of partition 0 as a read_uncommitted consumer sees them, once {@code count} have arrived. */
    private static List<String> readUncommitted(KafkaBroker kafka, String topic, int count) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
            List<TopicPartition> partition = List.of(new TopicPartition(topic, 0));
            consumer.assign(partition);
            consumer.seekToBeginning(partition);
            // the consumer's own poll waits for records; the consumer is used from this thread only
            await("read_uncommitted records of " + topic).atMost(TIMEOUT).pollInterval(Duration.ofMillis(1))
                    .pollInSameThread().untilAsserted(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
                        assertThat(values).hasSizeGreaterThanOrEqualTo(count);
                    });
        }
        return values;
    }
}
