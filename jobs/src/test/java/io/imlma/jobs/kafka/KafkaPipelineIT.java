package io.imlma.jobs.kafka;

import static io.imlma.jobs.PreprocessingScenario.INFINITE;
import static io.imlma.jobs.PreprocessingScenario.MALFORMED;
import static io.imlma.jobs.PreprocessingScenario.MISSING_TIMESTAMP;
import static io.imlma.jobs.kafka.TestTopics.INTERVAL;
import static io.imlma.jobs.kafka.TestTopics.MINUTE;
import static io.imlma.jobs.kafka.TestTopics.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.imlma.common.json.Json;
import io.imlma.common.types.DeadLetter;
import io.imlma.common.types.FeatureRow;
import io.imlma.jobs.PreprocessingScenario;
import io.imlma.jobs.connect.KafkaConfig;
import io.imlma.jobs.pipeline.JobEnvironment;
import io.imlma.jobs.pipeline.PipelineConfig;
import io.imlma.testkit.KafkaBroker;
import io.imlma.testkit.KafkaBrokerExtension;
import io.imlma.testkit.KafkaRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production wiring ({@link TestTopics#preprocess}) on a Flink MiniCluster against a real Kafka broker: readings with
 * an exact re-send, a conflicting re-send, out-of-order, late and malformed records go in; the feature rows and dead
 * letters a {@code read_committed} consumer sees come out, exactly.
 *
 * <p>The Kafka source is unbounded, as in production, so windows close only as far as the readings move the
 * watermark, and a meter that has gone silent is imputed up to it. The job runs with parallelism 1 over a
 * one-partition topic: which reading is late then depends on the topic's order alone.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaPipelineIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(1)
                    .build());

    private static final Duration OUTPUT_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path checkpoints;

    @Test
    void cleansWindowsImputesAndStandardizesFromKafkaToKafka(KafkaBroker kafka,
            @InjectClusterClient RestClusterClient<?> rest) throws Exception {
        KafkaConfig topics = TestTopics.create(kafka, "pipeline-it", 1);
        KafkaRecords.produce(kafka.bootstrapServers(), topics.readingsTopic(), PreprocessingScenario.readings());

        PipelineConfig config = TestTopics.pipelineConfig(checkpoints, 2);
        StreamExecutionEnvironment env = TestTopics.environment(config, 1);
        TestTopics.preprocess(env, config, topics);

        List<FeatureRow> features;
        List<ConsumerRecord<String, String>> deadLetterRecords;
        try (RunningJob job = RunningJob.submit(env, "kafka-pipeline-it", rest)) {
            List<ConsumerRecord<String, String>> featureRecords =
                    KafkaRecords.readCommitted(kafka.bootstrapServers(), topics.featuresTopic(), 8, OUTPUT_TIMEOUT);
            deadLetterRecords =
                    KafkaRecords.readCommitted(kafka.bootstrapServers(), topics.deadLettersTopic(), 3, OUTPUT_TIMEOUT);
            // nothing may follow: once the transactions open now are committed, the topics hold the same records
            job.awaitFurtherCheckpoints(2, OUTPUT_TIMEOUT);
            assertThat(KafkaRecords.readAllCommitted(kafka.bootstrapServers(), topics.featuresTopic(), OUTPUT_TIMEOUT))
                    .hasSameSizeAs(featureRecords);
            assertThat(KafkaRecords.readAllCommitted(kafka.bootstrapServers(), topics.deadLettersTopic(),
                    OUTPUT_TIMEOUT)).hasSameSizeAs(deadLetterRecords);
            assertThat(job.status()).isEqualTo(JobStatus.RUNNING);

            assertThat(featureRecords).allSatisfy(r ->
                    assertThat(r.key()).isEqualTo(Json.read(r.value(), FeatureRow.class).meterId()));
            features = featureRecords.stream().map(r -> Json.read(r.value(), FeatureRow.class))
                    .sorted(Comparator.comparing(FeatureRow::meterId).thenComparing(FeatureRow::windowStart))
                    .toList();
        }

        // the unbounded source moves the watermark only as far as the readings: A's intervals 4 and 5 stay open
        assertThat(features).extracting(PreprocessingScenario::summary)
                .containsExactlyElementsOf(PreprocessingScenario.expectedFeatures(4));
        assertThat(features).allSatisfy(r -> assertThat(r.windowEnd() - r.windowStart()).isEqualTo(INTERVAL));
        assertThat(features).filteredOn(r -> !r.imputed())
                .allSatisfy(r -> assertThat(r.maxIngestTime()).isPositive());
        assertThat(features).filteredOn(FeatureRow::imputed)
                .allSatisfy(r -> assertThat(r.maxIngestTime()).isZero());

        // z-scores: each observed interval against the meter's observed interval means so far (population std);
        // an imputed row equals the running mean, so it scores 0
        for (int k = 0; k < 4; k++) {
            assertThat(features.get(k).standardized()).as("z of A interval %d", k)
                    .isCloseTo(PreprocessingScenario.zOfA(k), within(1e-9));
        }
        assertThat(features.subList(4, 8)).extracting(FeatureRow::standardized)
                .containsExactly(0.0, 1.0, 0.0, 0.0);
        assertThat(features).allSatisfy(r -> assertThat(Math.abs(r.standardized())).isLessThan(3.0));

        List<DeadLetter> deadLetters = deadLetterRecords.stream()
                .map(r -> Json.read(r.value(), DeadLetter.class)).toList();
        assertThat(deadLetterRecords).extracting(ConsumerRecord::key).containsOnly(topics.readingsTopic());
        assertThat(deadLetters).extracting(DeadLetter::payload, DeadLetter::source).containsExactlyInAnyOrder(
                tuple(MALFORMED, topics.readingsTopic()),
                tuple(MISSING_TIMESTAMP, topics.readingsTopic()),
                tuple(INFINITE, topics.readingsTopic()));
        assertThat(deadLetters).filteredOn(d -> d.payload().equals(MALFORMED)).singleElement()
                .satisfies(d -> assertThat(d.reason()).startsWith("malformed JSON"));
        assertThat(deadLetters).filteredOn(d -> d.payload().equals(MISSING_TIMESTAMP)).singleElement()
                .satisfies(d -> assertThat(d.reason()).isEqualTo("missing field timestamp"));
        assertThat(deadLetters).filteredOn(d -> d.payload().equals(INFINITE)).singleElement()
                .satisfies(d -> assertThat(d.reason()).isEqualTo("value is not finite: Infinity"));
        assertThat(deadLetters).allSatisfy(d -> assertThat(d.detectedAt()).isGreaterThan(T0 + 100 * MINUTE));
    }
}
