package io.imlma.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.imlma.common.json.Json;
import io.imlma.common.types.DeadLetter;
import io.imlma.common.types.FeatureRow;
import io.imlma.jobs.connect.KafkaConfig;
import io.imlma.jobs.pipeline.PipelineConfig;
import io.imlma.testkit.EttFixture;
import io.imlma.testkit.KafkaBroker;
import io.imlma.testkit.KafkaBrokerExtension;
import io.imlma.testkit.KafkaRecords;
import io.imlma.udf.ingest.EventTimeGuard;
import io.imlma.udf.preprocess.Plausibility;
import io.imlma.udf.preprocess.PreprocessReadings;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka side of {@code EttReplayTrustTest}: real ETTm1 rows as JSON readings on a real broker, clean and with more
 * than 10,000 malformed records mixed in, through the production wiring ({@link TestTopics#preprocess}). The
 * committed feature rows are the same; every malformed record is a dead letter or, if it is an exact re-send, a
 * duplicate. One partition and parallelism 1, so that the order of the topic is the order of the readings.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaReplayTrustIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1)
                    .build());

    private static final Duration TIMEOUT = Duration.ofSeconds(240);
    private static final int ROWS = 1000;
    private static final int MALFORMED = 10_200;
    private static final List<String> CHANNELS = List.of("HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT");
    private static final long DAY = 86_400_000L;

    @TempDir
    Path work;

    /** A reading as the producer of a meter writes it. */
    private static String json(String channel, long timestamp, String value) {
        return "{\"meterId\":\"ETTm1/" + channel + "\",\"timestamp\":" + timestamp + ",\"value\":" + value + "}";
    }

    /** The records of a replay, and what the malformed ones must become. */
    private static final class Input {
        final List<byte[]> records = new ArrayList<>();
        final List<String> unparsable = new ArrayList<>();
        int ahead;
        int pastResends;
        int huge;
        int duplicates;

        Input(List<EttFixture.EttRow> rows, Random random, int malformed) {
            List<List<byte[]>> after = new ArrayList<>();
            rows.forEach(r -> after.add(new ArrayList<>()));
            Set<Integer> aheadAt = new HashSet<>();
            for (int n = 0; n < malformed; n++) {
                fuzz(rows, random.nextInt(rows.size()), random, after, aheadAt);
            }
            for (int i = 0; i < rows.size(); i++) {
                for (String channel : CHANNELS) {
                    records.add(bytes(json(channel, rows.get(i).timestamp(),
                            Double.toString(rows.get(i).value(channel)))));
                }
                records.addAll(after.get(i));
            }
        }

        private static byte[] bytes(String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }

        private void unparsable(List<byte[]> at, String payload) {
            at.add(bytes(payload));
            unparsable.add(payload);
        }

        private void fuzz(List<EttFixture.EttRow> rows, int i, Random random, List<List<byte[]>> after,
                Set<Integer> aheadAt) {
            List<byte[]> at = after.get(i);
            EttFixture.EttRow row = rows.get(i);
            String channel = CHANNELS.get(random.nextInt(CHANNELS.size()));
            String value = Double.toString(row.value(channel));
            long ts = row.timestamp();
            int kind = random.nextInt(100);
            if (kind < 15) { // garbage
                StringBuilder s = new StringBuilder("x");
                for (int k = random.nextInt(100); k > 0; k--) {
                    s.append((char) (' ' + random.nextInt(95)));
                }
                unparsable(at, s.toString());
            } else if (kind < 25) { // not an object, or fields missing
                unparsable(at, List.of("[1,2]", "42", "\"text\"", "null", "{\"timestamp\":" + ts + ",\"value\":1}",
                        "{\"meterId\":\"ETTm1/" + channel + "\",\"value\":1}",
                        "{\"meterId\":\"ETTm1/" + channel + "\",\"timestamp\":" + ts + "}",
                        "{\"meterId\":\"\",\"timestamp\":" + ts + ",\"value\":1}").get(random.nextInt(8)));
            } else if (kind < 35) { // empty fields
                unparsable(at, List.of("", "  ", "{}", json(channel, ts, "null"),
                        "{\"meterId\":null,\"timestamp\":" + ts + ",\"value\":1}",
                        "{\"meterId\":\"ETTm1/" + channel + "\",\"timestamp\":\"\",\"value\":1}")
                        .get(random.nextInt(6)));
            } else if (kind < 45) { // text in a number
                unparsable(at, json(channel, ts, List.of("\"abc\"", "\"12\"", "\"12kW\"", "true", "[1]")
                        .get(random.nextInt(5))));
            } else if (kind < 52) { // not finite
                unparsable(at, json(channel, ts, List.of("NaN", "\"NaN\"", "Infinity", "1e999", "-1e999")
                        .get(random.nextInt(5))));
            } else if (kind < 60) { // impossible dates
                String date = List.of("2016-02-30T10:00:00Z", "2016-13-01T00:00:00Z", "2016-07-01T24:00:00Z",
                        "2016-07-01 00:00:00", "yesterday", "2017-02-29T00:15:00Z").get(random.nextInt(6));
                unparsable(at, "{\"meterId\":\"ETTm1/" + channel + "\",\"timestamp\":\"" + date + "\",\"value\":"
                        + value + "}");
            } else if (kind < 64) { // ahead of the wall clock
                unparsable(at, json(channel, Instant.now().plus(Duration.ofDays(400)).toEpochMilli(), value));
            } else if (kind < 68) { // non-UTF-8 bytes in the meter id
                byte[] good = bytes(json(channel, ts, value));
                ByteArrayOutputStream bad = new ByteArrayOutputStream();
                int k = "{\"meterId\":\"ETTm1/".length() + 1;
                bad.write(good, 0, k);
                bad.write(0xFF);
                bad.write(good, k, good.length - k);
                at.add(bad.toByteArray());
                unparsable.add(new String(bad.toByteArray(), StandardCharsets.UTF_8));
            } else if (kind < 69) { // very long
                unparsable(at, random.nextBoolean() ? "{\"meterId\":\"" + "m".repeat(150_000)
                        : json(channel, ts, "1" + "0".repeat(150_000)));
            } else if (kind < 80) { // an exact re-send of an earlier reading
                int from = random.nextInt(i + 1);
                EttFixture.EttRow earlier = rows.get(from);
                at.add(bytes(json(channel, earlier.timestamp(), Double.toString(earlier.value(channel)))));
                if (earlier.timestamp() < ts - 7 * DAY) {
                    pastResends++;
                } else {
                    duplicates++;
                }
            } else if (kind < 88) { // 1e308 for the row just sent
                at.add(bytes(json(channel, ts, List.of("1e308", "-1e308", "1.7976931348623157E308")
                        .get(random.nextInt(3)))));
                huge++;
            } else if (kind < 92) { // negative zero: a re-send of a recent zero as -0.0
                for (int back = 0; back < 96 && i - back >= 0; back++) {
                    for (String c : CHANNELS) {
                        if (rows.get(i - back).value(c) == 0) {
                            at.add(bytes(json(c, rows.get(i - back).timestamp(), "-0.0")));
                            duplicates++;
                            return;
                        }
                    }
                }
                fuzz(rows, i, random, after, aheadAt);
            } else { // a reading a day or more ahead, once after a row
                int later = i + 96 + random.nextInt(rows.size());
                if (later >= rows.size() || !aheadAt.add(i)) {
                    fuzz(rows, i, random, after, aheadAt);
                    return;
                }
                at.add(bytes(json(channel, rows.get(later).timestamp(),
                        Double.toString(rows.get(later).value(channel)))));
                ahead++;
            }
        }
    }

    private record Outcome(List<FeatureRow> features, List<DeadLetter> deadLetters) {}

    private Outcome run(KafkaBroker kafka, RestClusterClient<?> rest, String name, Input input) throws Exception {
        KafkaConfig topics = TestTopics.create(kafka, name, 1);
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1 << 20);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (byte[] record : input.records) {
                producer.send(new ProducerRecord<>(topics.readingsTopic(), record));
            }
            producer.flush();
        }
        PipelineConfig config = TestTopics.pipelineConfig(work.resolve(name), 96);
        StreamExecutionEnvironment env = TestTopics.environment(config, 1);
        TestTopics.preprocess(env, config, topics);
        int deadLetters = input.unparsable.size() + input.ahead + input.pastResends + input.huge;
        try (RunningJob job = RunningJob.submit(env, "kafka-replay-" + name, rest)) {
            // the unbounded source closes every interval but the last two rows' (the watermark trails by 2 minutes)
            List<FeatureRow> features = KafkaRecords.values(KafkaRecords.readCommitted(kafka.bootstrapServers(),
                    topics.featuresTopic(), CHANNELS.size() * (ROWS - 2), TIMEOUT)).stream()
                    .map(v -> Json.read(v, FeatureRow.class)).toList();
            List<DeadLetter> dead = KafkaRecords.values(KafkaRecords.readCommitted(kafka.bootstrapServers(),
                    topics.deadLettersTopic(), deadLetters, TIMEOUT)).stream()
                    .map(v -> Json.read(v, DeadLetter.class)).toList();
            job.awaitFurtherCheckpoints(2, TIMEOUT);
            assertThat(KafkaRecords.readAllCommitted(kafka.bootstrapServers(), topics.featuresTopic(), TIMEOUT))
                    .hasSameSizeAs(features);
            List<FeatureRow> sorted = new ArrayList<>(features.stream().map(r -> new FeatureRow(r.meterId(),
                    r.windowStart(), r.windowEnd(), r.mean(), r.min(), r.max(), r.count(), r.standardized(),
                    r.imputed(), r.warmUp(), 0)).toList());
            sorted.sort(Comparator.comparing(FeatureRow::meterId).thenComparing(FeatureRow::windowStart));
            return new Outcome(sorted, dead);
        }
    }

    /** What {@code expected} holds more often than {@code actual}, shortened for the message. */
    private static List<String> missing(List<String> expected, List<String> actual) {
        Map<String, Long> left = new java.util.HashMap<>(expected.stream()
                .collect(Collectors.groupingBy(v -> v, Collectors.counting())));
        actual.forEach(v -> left.computeIfPresent(v, (k, n) -> n == 1 ? null : n - 1));
        return left.keySet().stream().map(v -> v.length() > 200 ? v.substring(0, 200) + "...(" + v.length() + ")" : v)
                .limit(10).toList();
    }

    @Test
    void malformedJsonReadingsLeaveTheFeatureRowsOfTheCleanTopic(KafkaBroker kafka,
            @InjectClusterClient RestClusterClient<?> rest) throws Exception {
        List<EttFixture.EttRow> rows = EttFixture.rows(0, ROWS);
        Input fuzzedInput = new Input(rows, new Random(15), MALFORMED);
        Outcome clean = run(kafka, rest, "trust-clean", new Input(rows, new Random(0), 0));
        Outcome fuzzed = run(kafka, rest, "trust-fuzzed", fuzzedInput);

        Map<String, Long> byKind = new TreeMap<>(fuzzed.deadLetters.stream().collect(Collectors.groupingBy(
                d -> d.reason().replaceAll("[:(].*", "").replaceAll("[0-9]+", "#"), Collectors.counting())));
        System.out.printf("%nKafka replay, %d rows: records clean %d, fuzzed %d (%d malformed); feature rows clean %d,"
                + " fuzzed %d; imputed clean %d, fuzzed %d; exact re-sends (duplicates) %d; dead letters clean %d,"
                + " fuzzed %d by reason %s%n", ROWS,
                ROWS * CHANNELS.size(), fuzzedInput.records.size(), fuzzedInput.records.size() - ROWS * CHANNELS.size(),
                clean.features.size(), fuzzed.features.size(),
                clean.features.stream().filter(FeatureRow::imputed).count(),
                fuzzed.features.stream().filter(FeatureRow::imputed).count(), fuzzedInput.duplicates,
                clean.deadLetters.size(),
                fuzzed.deadLetters.size(), byKind);

        assertThat(fuzzedInput.records.size() - ROWS * CHANNELS.size()).isGreaterThanOrEqualTo(10_000);
        assertThat(clean.deadLetters).isEmpty();
        assertThat(fuzzed.features).hasSize(CHANNELS.size() * (ROWS - 2)).isEqualTo(clean.features);
        assertThat(fuzzed.features).allSatisfy(r -> {
            Plausibility.Bounds bounds = Plausibility.DEFAULTS.bounds(r.meterId());
            assertThat(Double.isFinite(r.standardized())).isTrue();
            assertThat(r.mean()).isBetween(bounds.min(), bounds.max());
        });
        List<DeadLetter> unparsed = fuzzed.deadLetters.stream().filter(d -> !d.source().equals(EventTimeGuard.SOURCE)
                && !d.source().equals(PreprocessReadings.SOURCE)).toList();
        assertThat(missing(fuzzedInput.unparsable, unparsed.stream().map(DeadLetter::payload).toList()))
                .as("malformed records without a dead letter").isEmpty();
        assertThat(missing(unparsed.stream().map(DeadLetter::payload).toList(), fuzzedInput.unparsable))
                .as("dead letters of no malformed record").isEmpty();
        assertThat(fuzzed.deadLetters).filteredOn(d -> d.reason().startsWith("clock skew future: timestamp 2016"))
                .hasSize(fuzzedInput.ahead);
        assertThat(fuzzed.deadLetters).filteredOn(d -> d.reason().startsWith("clock skew past: "))
                .hasSize(fuzzedInput.pastResends);
        assertThat(fuzzed.deadLetters).filteredOn(d -> d.reason().startsWith("out of bounds: "))
                .hasSize(fuzzedInput.huge);
        assertThat(fuzzed.deadLetters).hasSize(unparsed.size() + fuzzedInput.ahead + fuzzedInput.pastResends
                + fuzzedInput.huge);
    }
}
