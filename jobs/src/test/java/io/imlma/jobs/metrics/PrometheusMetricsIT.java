package io.imlma.jobs.metrics;

import static io.imlma.jobs.kafka.TestTopics.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.imlma.common.config.Settings;
import io.imlma.common.integrity.IntegrityStore;
import io.imlma.common.json.Json;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.FeatureRow;
import io.imlma.common.types.ModelUpdate;
import io.imlma.common.types.Prediction;
import io.imlma.jobs.connect.KafkaConfig;
import io.imlma.jobs.connect.KafkaConnectors;
import io.imlma.jobs.kafka.RunningJob;
import io.imlma.jobs.kafka.TestTopics;
import io.imlma.jobs.loop.ModelStoreLoader;
import io.imlma.jobs.pipeline.JobEnvironment;
import io.imlma.jobs.pipeline.PipelineConfig;
import io.imlma.jobs.pipeline.PipelineOutputs;
import io.imlma.ml.eval.Metrics;
import io.imlma.ml.horizon.HorizonSpec;
import io.imlma.ml.horizon.ModelArtifact;
import io.imlma.ml.horizon.PersistenceModel;
import io.imlma.registry.ModelStore;
import io.imlma.testkit.FreePorts;
import io.imlma.testkit.KafkaBroker;
import io.imlma.testkit.KafkaBrokerExtension;
import io.imlma.testkit.KafkaRecords;
import io.imlma.udf.monitor.Monitors;
import io.imlma.udf.serve.ScoreWithChampion;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics the alert rules and the Grafana dashboard use ({@code monitoring/metrics.txt}) are exported by a
 * running job: a MiniCluster with Flink's Prometheus reporter runs the Kafka-wired preprocessing pipeline and the
 * monitors, with input that makes every pipeline counter count and raises latency and stability alarms; the test
 * scrapes the reporter's endpoint as Prometheus would. The alarms also reach a real Kafka topic through an
 * exactly-once sink.
 *
 * <p>Forecasts come from the real champion scorer serving a last-value model file from a model store (the next
 * interval's forecast is this interval's mean), which is enough to drive the monitors.
 */
@ExtendWith(KafkaBrokerExtension.class)
class PrometheusMetricsIT {
    private static final int PROMETHEUS_PORT = FreePorts.allocate();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setConfiguration(Configuration.fromMap(Map.of(
                            "metrics.reporter.prom.factory.class",
                            "org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
                            "metrics.reporter.prom.port", Integer.toString(PROMETHEUS_PORT))))
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(1)
                    .build());

    private static final Path METRICS_LIST = Path.of("../monitoring/metrics.txt");
    private static final String OPERATOR_PREFIX = "flink_taskmanager_job_task_operator_";
    private static final String MODEL = "load-forecast";
    private static final String ALARMS_RAISED = OPERATOR_PREFIX + "alarm_type_alarmsRaised";
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Duration SCRAPE_INTERVAL = Duration.ofMillis(500);

    @TempDir
    Path checkpoints;

    @Test
    void exportsEveryProjectMetricAndSendsAlarmsToKafka(KafkaBroker kafka,
            @InjectClusterClient RestClusterClient<?> rest) throws Exception {
        List<ListedMetric> listed = readMetricsList();
        List<ListedMetric> expected = listed.stream().filter(m -> m.origin().equals("imlma")).toList();
        assertThat(expected).extracting(ListedMetric::type).contains("counter", "gauge");

        KafkaConfig topics = TestTopics.create(kafka, "prometheus-it", 1);
        String alarmsTopic = topics.alarmsTopic();
        KafkaRecords.produce(kafka.bootstrapServers(), topics.readingsTopic(), readings());

        PipelineConfig config = TestTopics.pipelineConfig(checkpoints, 2);
        Settings monitoring = Settings.fromArgs(
                "--monitor.latency.window", "20",
                "--monitor.latency.min-samples", "5",
                "--monitor.latency.evaluate-every", "5",
                "--monitor.stability.delta", "1",
                "--monitor.quality.interval", "1s");
        StreamExecutionEnvironment env = TestTopics.environment(config, 1);
        PipelineOutputs outputs = TestTopics.preprocess(env, config, topics);
        IntegrityStore models = new IntegrityStore(checkpoints.resolve("models").toUri(),
                checkpoints.resolve("models-backup").toUri());
        String path = ModelStore.relativePath(MODEL, 1);
        ModelArtifact lastValue = new ModelArtifact(ModelArtifact.FORMAT_VERSION, MODEL, "persistence", Map.of(),
                new Metrics(100, 0.04, 0.2, 0.5), 0.1, 0L, 1L, 2L,
                new PersistenceModel(new HorizonSpec(1, 4, false, ZoneOffset.UTC)));
        ModelUpdate champion = new ModelUpdate(MODEL, 1, path,
                new ModelStore(models, Clock.systemUTC(), alarm -> { }).write(path, lastValue),
                System.currentTimeMillis());
        DataStream<Prediction> predictions = outputs.features().keyBy(FeatureRow::meterId)
                .connect(env.fromData(champion).name("champion").uid("champion")
                        .broadcast(ScoreWithChampion.CHAMPION))
                .process(new ScoreWithChampion(MODEL, 1, new ModelStoreLoader(models)),
                        TypeInformation.of(Prediction.class))
                .name("score-with-champion").uid("score-with-champion");
        Monitors.Streams monitors = Monitors.attach(predictions, outputs.features(), outputs.deadLetters(),
                outputs.late(), null, monitoring);
        monitors.alarms().sinkTo(KafkaConnectors.jsonSink(topics, alarmsTopic, "-alarms", Alarm::alarmId))
                .name("kafka-alarms").uid("kafka-alarms");

        Map<String, List<Sample>> scraped;
        List<Alarm> alarms;
        try (RunningJob job = RunningJob.submit(env, "prometheus-metrics-it", rest)) {
            scraped = scrapeUntil(samples -> {
                assertThat(missingOrZero(samples, expected)).as("metrics of monitoring/metrics.txt missing from the "
                        + "scrape, or counters still at 0").isEmpty();
                assertThat(alarmsRaised(samples, AlarmType.LATENCY)).isPositive();
                assertThat(alarmsRaised(samples, AlarmType.STABILITY)).isPositive();
            });
            alarms = awaitAlarms(kafka.bootstrapServers(), alarmsTopic, Set.of(AlarmType.LATENCY, AlarmType.STABILITY));
        }

        assertThat(scraped.get(OPERATOR_PREFIX + "imlmaDuplicates")).extracting(Sample::value)
                .containsOnly(1.0);
        assertThat(scraped.get(OPERATOR_PREFIX + "imlmaConflicts")).extracting(Sample::value)
                .containsOnly(1.0);
        assertThat(scraped.get(OPERATOR_PREFIX + "imlmaLateReadings")).extracting(Sample::value)
                .containsOnly(1.0);
        assertThat(scraped.get(OPERATOR_PREFIX + "imlmaDeadLettered")).extracting(Sample::value)
                .containsOnly(3.0);
        assertThat(scraped.get(OPERATOR_PREFIX + "latency_kind_latencyP99Ms")).extracting(Sample::labels)
                .anySatisfy(labels -> assertThat(labels).contains("latency_kind=\"EVENT_TO_SCORED\""))
                .anySatisfy(labels -> assertThat(labels).contains("latency_kind=\"INGEST_TO_SCORED\""));

        assertThat(alarms).filteredOn(a -> a.type() == AlarmType.STABILITY).allSatisfy(a -> {
            assertThat(a.meterId()).isNotNull();
            assertThat(a.value()).isGreaterThan(a.threshold());
            assertThat(a.threshold()).isEqualTo(1.0);
        });
        assertThat(alarms).filteredOn(a -> a.type() == AlarmType.STABILITY).extracting(Alarm::meterId)
                .contains("O");
        assertThat(alarms).filteredOn(a -> a.type() == AlarmType.LATENCY).first()
                .satisfies(a -> assertThat(a.value()).isGreaterThan(a.threshold()));
        // a raise, its re-notifications and its clear share an alarm id; the same alarm twice is a duplicate
        assertThat(alarms).doesNotHaveDuplicates();
    }

    /**
     * Meter A: an exact re-send, a conflict, an out-of-order and a late reading, three malformed records; meter B
     * goes silent after two intervals (imputed from then on); meter O oscillates between 0 and 10 every interval.
     * The readings are from 2024, so every forecast is far behind event time (latency alarm).
     */
    private static List<String> readings() {
        List<String> readings = new ArrayList<>(List.of(
                reading("A", 1, "1"),
                reading("B", 2, "10"),
                reading("O", 3, "0"),
                reading("A", 5, "3"),
                reading("A", 5, "3"),       // duplicate
                "{\"meterId\":\"A\",\"timestamp\":",
                reading("A", 5, "9"),       // conflict
                reading("A", 16, "4"),
                reading("A", 14, "5"),      // out of order within the bound
                reading("B", 17, "12"),
                reading("O", 18, "10"),
                "{\"meterId\":\"A\",\"value\":1}",
                reading("A", 31, "6"),
                reading("A", 10, "7"),      // late
                reading("A", 3, "1e999")));
        for (int k = 2; k < 40; k++) {
            readings.add(reading("O", 15L * k + 3, k % 2 == 0 ? "0" : "10"));
            if (k > 2) {
                readings.add(reading("A", 15L * k + 1, Integer.toString(k)));
            }
        }
        return readings;
    }


    private record ListedMetric(String name, String type, String origin) {}

    /** A scraped sample: its labels as written between the braces, and its value. */
    private record Sample(String labels, double value) {}

    private static List<ListedMetric> readMetricsList() throws IOException {
        return Files.readAllLines(METRICS_LIST).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(line -> line.split("\\s+", 4))
                .map(fields -> new ListedMetric(fields[0], fields[1], fields[2]))
                .toList();
    }

    /** Listed metrics absent from the scrape, and counters whose series are all still 0. */
    private static List<String> missingOrZero(Map<String, List<Sample>> samples, List<ListedMetric> expected) {
        List<String> problems = new ArrayList<>();
        for (ListedMetric metric : expected) {
            List<Sample> series = samples.get(metric.name());
            if (series == null) {
                problems.add(metric.name() + " not exported");
            } else if (metric.type().equals("counter") && series.stream().mapToDouble(Sample::value).sum() <= 0) {
                problems.add(metric.name() + " still 0");
            }
        }
        return problems;
    }

    private static double alarmsRaised(Map<String, List<Sample>> samples, AlarmType type) {
        return samples.getOrDefault(ALARMS_RAISED, List.of()).stream()
                .filter(s -> s.labels().contains("alarm_type=\"" + type.name() + "\""))
                .mapToDouble(Sample::value).sum();
    }

    /** Scrapes the reporter until the assertions hold on a scrape; returns that scrape. */
    private static Map<String, List<Sample>> scrapeUntil(Consumer<Map<String, List<Sample>>> assertions) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PROMETHEUS_PORT + "/"))
                .timeout(Duration.ofSeconds(10)).GET().build();
        AtomicReference<Map<String, List<Sample>>> last = new AtomicReference<>();
        await("a scrape with every listed metric").atMost(TIMEOUT).pollInterval(SCRAPE_INTERVAL).untilAsserted(() -> {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            Map<String, List<Sample>> samples = parse(response.body());
            assertions.accept(samples);
            last.set(samples);
        });
        return last.get();
    }

    /** Prometheus text exposition format: {@code name{labels} value} per line, comments starting with #. */
    private static Map<String, List<Sample>> parse(String body) {
        Map<String, List<Sample>> samples = new TreeMap<>();
        for (String line : body.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int lastSpace = line.lastIndexOf(' ');
            String name = brace >= 0 ? line.substring(0, brace) : line.substring(0, line.indexOf(' '));
            String labels = brace >= 0 ? line.substring(brace + 1, line.lastIndexOf('}')) : "";
            samples.computeIfAbsent(name, n -> new ArrayList<>())
                    .add(new Sample(labels, Double.parseDouble(line.substring(lastSpace + 1))));
        }
        return samples;
    }

    /** Reads the alarm topic as read_committed until alarms of every given type are there. */
    private static List<Alarm> awaitAlarms(String bootstrap, String topic, Set<AlarmType> types) {
        AtomicReference<List<Alarm>> last = new AtomicReference<>();
        await("alarms of the types " + types).atMost(TIMEOUT).pollInterval(SCRAPE_INTERVAL).untilAsserted(() -> {
            List<Alarm> alarms = KafkaRecords.values(KafkaRecords.readAllCommitted(bootstrap, topic, TIMEOUT))
                    .stream().map(json -> Json.read(json, Alarm.class)).toList();
            Map<AlarmType, Long> byType = alarms.stream()
                    .collect(Collectors.groupingBy(Alarm::type, () -> new HashMap<>(), Collectors.counting()));
            assertThat(byType.keySet()).as("alarm types on %s: %s", topic, byType).containsAll(types);
            last.set(alarms);
        });
        return last.get();
    }
}
