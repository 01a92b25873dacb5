package io.imlma.jobs.kafka;

import static io.imlma.jobs.kafka.TestTopics.INTERVAL;
import static io.imlma.jobs.kafka.TestTopics.MINUTE;
import static io.imlma.jobs.kafka.TestTopics.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.imlma.common.json.Json;
import io.imlma.common.types.FeatureRow;
import io.imlma.jobs.MeterPipelineJob;
import io.imlma.jobs.connect.KafkaConfig;
import io.imlma.jobs.connect.KafkaConnectors;
import io.imlma.jobs.pipeline.JobEnvironment;
import io.imlma.jobs.pipeline.MeterPipeline;
import io.imlma.jobs.pipeline.PipelineConfig;
import io.imlma.jobs.pipeline.PipelineOutputs;
import io.imlma.testkit.KafkaBroker;
import io.imlma.testkit.KafkaBrokerExtension;
import io.imlma.testkit.KafkaRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once from Kafka to Kafka across a failure: the job fails in the middle of the stream after checkpoints have
 * completed and feature rows have been committed, Flink restarts it from the latest checkpoint (RocksDB state, Kafka
 * offsets, open transactions aborted), and a {@code read_committed} consumer sees every (meter, interval) row exactly
 * once with the value its readings give it.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ExactlyOnceIT {
    private static final Logger LOG = LoggerFactory.getLogger(ExactlyOnceIT.class);

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    private static final int METERS = 6;
    private static final int INTERVALS = 300;
    /** Intervals produced before the failure may happen; the rest follow once rows have been committed. */
    private static final int FIRST_PART = 150;
    private static final int PARALLELISM = 2;
    /** Per subtask: all of its first part and a third of its second part, so the failure falls mid-stream. */
    private static final long FAIL_AFTER_RECORDS = (long) METERS / PARALLELISM * (FIRST_PART + (INTERVALS - FIRST_PART) / 3);
    private static final Duration OUTPUT_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path checkpoints;

    @Test
    void everyWindowExactlyOnceAfterAFailureMidStream(KafkaBroker kafka,
            @InjectClusterClient RestClusterClient<?> rest) throws Exception {
        KafkaConfig topics = TestTopics.create(kafka, "exactly-once-it", PARALLELISM);
        // both partitions are read throughout; no split may be declared idle while the test pauses
        PipelineConfig config = TestTopics.pipelineConfig(checkpoints, 4);

        Configuration restarts = new Configuration();
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = JobEnvironment.configure(
                StreamExecutionEnvironment.getExecutionEnvironment(restarts), config);
        env.setParallelism(PARALLELISM);
        FailOnceAfterCheckpoint.reset();
        DataStream<String> json = env
                .fromSource(KafkaConnectors.readings(topics), WatermarkStrategy.noWatermarks(), "kafka-readings")
                .uid("kafka-readings")
                .map(new FailOnceAfterCheckpoint(FAIL_AFTER_RECORDS))
                .name("fail-once-after-checkpoint").uid("fail-once-after-checkpoint");
        PipelineOutputs outputs = MeterPipeline.fromJson(config, json, topics.readingsTopic());
        outputs.features().sinkTo(TestTopics.featureSink(topics)).name("kafka-features").uid("kafka-features");

        // the last interval of each meter stays open: the watermark never passes its end
        int expectedRows = METERS * (INTERVALS - 1);
        List<ConsumerRecord<String, String>> records;
        int committedBeforeSecondPart;
        try (RunningJob job = RunningJob.submit(env, "exactly-once-it", rest)) {
            KafkaRecords.produce(kafka.bootstrapServers(), readings(topics.readingsTopic(), 0, FIRST_PART));
            committedBeforeSecondPart = KafkaRecords.readCommitted(kafka.bootstrapServers(), topics.featuresTopic(),
                    1, OUTPUT_TIMEOUT).size();
            assertThat(FailOnceAfterCheckpoint.FAILED).as("failed before the second part was produced").isFalse();
            KafkaRecords.produce(kafka.bootstrapServers(), readings(topics.readingsTopic(), FIRST_PART, INTERVALS));

            KafkaRecords.readCommitted(kafka.bootstrapServers(), topics.featuresTopic(), expectedRows, OUTPUT_TIMEOUT);
            // rows in transactions still open now (duplicates, if any) are committed within two checkpoints
            job.awaitFurtherCheckpoints(2, OUTPUT_TIMEOUT);
            records = KafkaRecords.readAllCommitted(kafka.bootstrapServers(), topics.featuresTopic(), OUTPUT_TIMEOUT);
        }

        assertThat(FailOnceAfterCheckpoint.FAILED).as("the injected failure happened").isTrue();
        assertThat(FailOnceAfterCheckpoint.RESTORED_FROM_CHECKPOINT.get())
                .as("id of the checkpoint the restarted job restored").isPositive();
        LOG.info("{} rows committed before the second part; failure after {} records of a subtask; restored from "
                        + "checkpoint {}; {} rows committed in the end", committedBeforeSecondPart, FAIL_AFTER_RECORDS,
                FailOnceAfterCheckpoint.RESTORED_FROM_CHECKPOINT.get(), records.size());

        List<FeatureRow> rows = records.stream().map(r -> Json.read(r.value(), FeatureRow.class)).toList();
        Map<String, Integer> copiesPerKey = new HashMap<>();
        rows.forEach(r -> copiesPerKey.merge(r.meterId() + "@" + (r.windowStart() - T0) / INTERVAL, 1, Integer::sum));
        assertThat(copiesPerKey).as("rows per (meter, interval)").allSatisfy((key, copies) ->
                assertThat(copies).as(key).isEqualTo(1));
        Set<String> expectedKeys = new HashSet<>();
        for (int m = 0; m < METERS; m++) {
            for (int k = 0; k < INTERVALS - 1; k++) {
                expectedKeys.add(meter(m) + "@" + k);
            }
        }
        Set<String> missing = new TreeSet<>(expectedKeys);
        missing.removeAll(copiesPerKey.keySet());
        Set<String> unexpected = new TreeSet<>(copiesPerKey.keySet());
        unexpected.removeAll(expectedKeys);
        assertThat(missing).as("(meter, interval) rows lost").isEmpty();
        assertThat(unexpected).as("(meter, interval) rows not expected").isEmpty();
        assertThat(rows).hasSize(expectedRows);
        // state restored, not rebuilt: every row is its interval's one reading, none imputed
        assertThat(rows).allSatisfy(r -> {
            int m = Integer.parseInt(r.meterId().substring(1));
            int k = (int) ((r.windowStart() - T0) / INTERVAL);
            assertThat(r.mean()).as("mean of %s interval %d", r.meterId(), k).isEqualTo(value(m, k));
            assertThat(r.count()).isEqualTo(1);
            assertThat(r.imputed()).isFalse();
            assertThat(r.warmUp()).isEqualTo(k < 3);
        });
    }

    /** One reading per meter and interval, 5 minutes into it; meter m goes to partition m mod 2, in time order. */
    private static List<ProducerRecord<String, String>> readings(String topic, int fromInterval, int toInterval) {
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int k = fromInterval; k < toInterval; k++) {
            for (int m = 0; m < METERS; m++) {
                records.add(new ProducerRecord<>(topic, m % PARALLELISM, meter(m),
                        TestTopics.reading(meter(m), k * INTERVAL / MINUTE + 5, Double.toString(value(m, k)))));
            }
        }
        return records;
    }

    private static String meter(int m) {
        return "M" + m;
    }

    private static double value(int meter, int interval) {
        return 100.0 * meter + interval % 17 + 0.25 * (interval % 4);
    }

    /**
     * Passes records through and throws once, in the first subtask to pass {@code failAfter} records after a
     * checkpoint has completed. The flags are static: the MiniCluster runs in the test's JVM, and a restarted task
     * must not fail again.
     */
    static final class FailOnceAfterCheckpoint implements MapFunction<String, String>, CheckpointListener,
            CheckpointedFunction {
        static volatile boolean FAILED;
        static final AtomicBoolean FAILING = new AtomicBoolean();
        static final AtomicLong RESTORED_FROM_CHECKPOINT = new AtomicLong();

        private final long failAfter;
        private transient long seen;
        private transient boolean checkpointCompleted;

        FailOnceAfterCheckpoint(long failAfter) {
            this.failAfter = failAfter;
        }

        static void reset() {
            FAILED = false;
            FAILING.set(false);
            RESTORED_FROM_CHECKPOINT.set(0);
        }

        @Override
        public String map(String value) {
            if (++seen >= failAfter && checkpointCompleted && FAILING.compareAndSet(false, true)) {
                FAILED = true;
                throw new IllegalStateException("injected failure after " + seen + " records");
            }
            return value;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointCompleted = true;
        }

        @Override
        public void initializeState(FunctionInitializationContext context) {
            context.getRestoredCheckpointId().ifPresent(RESTORED_FROM_CHECKPOINT::set);
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {}
    }
}
