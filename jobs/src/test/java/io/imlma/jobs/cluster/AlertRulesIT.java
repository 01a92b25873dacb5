package io.imlma.jobs.cluster;

import static io.imlma.jobs.cluster.SavepointOnStandaloneClusterIT.JOB_JAR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import com.sun.tools.attach.VirtualMachine;
import io.imlma.common.json.Json;
import io.imlma.common.types.RetrainCommand;
import io.imlma.jobs.MeterPipelineJob;
import io.imlma.jobs.cluster.SavepointOnStandaloneClusterIT.Topics;
import io.imlma.testkit.EttFixture;
import io.imlma.testkit.EttFixture.EttRow;
import io.imlma.testkit.FreePorts;
import io.imlma.testkit.KafkaBroker;
import io.imlma.testkit.ProjectRoot;
import io.imlma.testkit.SharedKafka;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.byteman.agent.submit.ScriptText;
import org.jboss.byteman.agent.submit.Submit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project's alert rules and Alertmanager routing against the closed loop on a standalone cluster, with Debian's
 * {@code prometheus} and {@code prometheus-alertmanager}. Two ETTm1 channels stream through the job from Kafka
 * (six days at once, then four intervals per second, like a live feed); the loop trains its first champion; a real
 * Prometheus scrapes the JobManager's and TaskManagers' reporters and evaluates {@code rules/imlma-alerts.yml}; a real
 * Alertmanager with {@code alertmanager.yml} delivers to a webhook receiver in this test. Then:
 *
 * <ul>
 *   <li>healthy: from the job's start until the champion has served for a while, no alert fires and nothing reaches
 *       the webhook (the checkpoints Flink declines while the tasks deploy and the champion's first minutes
 *       included);</li>
 *   <li>failing checkpoints (the next checkpoint directories cannot be created: a file is in their place, as on a
 *       broken volume) fire {@code CheckpointFailures} alone, delivered to the webhook, and it resolves once
 *       checkpoints complete again;</li>
 *   <li>unstable predictions (one meter's readings swing between 0 and 40 for eight intervals) fire
 *       {@code PredictionUnstable} alone, delivered to the webhook;</li>
 *   <li>a stalled scorer (its next forecasts each held for 1.5 s inside the running TaskManager, as if the model call
 *       hung: a Byteman rule loaded into the live JVM through the attach API) fires {@code LatencyBudgetExceeded}
 *       alone;</li>
 *   <li>a corrupted file (one bit of a sealed snapshot file flipped on the primary path, then an operator's retrain
 *       request, as {@code POST /train} sends it) fires {@code IntegrityFailure} alone, delivered to on-call's
 *       webhook: the retraining finds the file failing its SHA-256 check, restores it from the backup and the loop
 *       relays the alarm;</li>
 *   <li>drifted input (the second meter reads 8 more than its real values from one interval on, as after a sensor
 *       recalibration) fires {@code InputDrift} alone;</li>
 *   <li>an unreachable reporter (a TaskManager killed with SIGKILL; it held no task, so the job keeps running) fires
 *       {@code FlinkMetricsUnreachable} alone, delivered to the webhook.</li>
 * </ul>
 *
 * <p>Time is scaled mechanically so that an hour of alerting behaviour takes a minute: Prometheus scrapes every
 * 500 ms and evaluates every second (the project's configs: 15 s and 30 s). Scrapes every second would leave
 * {@code increase(...[2m])}, scaled to 2 s, about two samples, and the rules' 1 s-aligned subqueries missed a
 * counter's step whenever the scrapes sat near the second boundary (measured: an alarm raised between samples 1.06 s
 * apart never reached PredictionUnstable); at 500 ms every step lies inside some aligned window, as the project's
 * 15 s scrapes put eight samples in {@code [2m]}. Every duration in the rules' expressions and
 * {@code for:} clauses is divided by 60 ({@code 15m} → {@code 15s}, {@code 1h} → {@code 1m}, {@code 8d} →
 * {@code 192m}, and uptimes written as {@code N * 60 * 1000} ms become {@code N * 1000}), and Alertmanager's
 * {@code group_wait} and {@code group_interval} become 1 s. Everything else — expressions, thresholds, labels,
 * routes, grouping, inhibition — is the files' own. The configs' {@code imlma-api} scrape job is left out (no API
 * runs here), and the webhook receivers' URLs point at this test. The rules are loaded right after the job is
 * submitted, once Prometheus has scraped every reporter: it evaluates from its start but scrapes a few seconds later,
 * a gap FlinkJobNotRunning's {@code for: 2m}, scaled to 2 s, would not cover.
 *
 * <p>"Alone" means that no alert fires beyond the injected one and those of earlier faults still relayed (the
 * integrity and drift rules relay an alarm for an hour, scaled a minute). The drift monitor tests a day of interval
 * means with a KS significance level (1e-35) that separates healthy days from the drift: the first champion trains
 * on six days, and against them the real HUFL and MUFL days of this stream reach a KS distance of 0.52 at most, the
 * shifted MUFL days 1.0 (oil temperature, which climbs through July 2016, reaches 1.0 on real data and is not
 * streamed). The scorer's stall is not SIGSTOP: stopping the TaskManager stops its source too, so rows are ingested
 * after the resume and the scorer itself is not slow.
 */
class AlertRulesIT {
    private static final Logger LOG = LoggerFactory.getLogger(AlertRulesIT.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final List<String> METERS = List.of("HUFL", "MUFL");
    private static final int INTERVALS_PER_DAY = 96;
    /** Intervals produced at once: the first retraining is due after six days of the meters. */
    private static final int BACKLOG = 6 * INTERVALS_PER_DAY;
    /** Live feed: intervals produced per second after the backlog. */
    private static final int INTERVALS_PER_SECOND = 4;
    /** How long (scaled: 30 minutes) the loop must serve its champion without an alert. */
    private static final Duration HEALTHY_SERVING = Duration.ofSeconds(30);
    /**
     * Top of the swing: plausible for a load (the plausibility check's outlier rule rejects a value more than 40
     * robust deviations from the meter's recent median, and 200 would be one), far enough to swing the forecasts.
     */
    private static final double SWING = 40;
    /** Intervals of swinging readings that make the predictions unstable. */
    private static final int SPIKE_INTERVALS = 8;
    /** Added to the drifting meter's readings from the drift's start on. */
    private static final double DRIFT = 8;
    /** Forecasts of the stalled scorer that are held, and for how long each. */
    private static final int STALLED_FORECASTS = 6;
    private static final Duration STALL = Duration.ofMillis(1500);
    private static final String MODEL = "load-forecast";
    private static final Pattern DURATION = Pattern.compile("(?<![\\w.])(\\d+)([mhd])\\b");

    @RegisterExtension
    static final ClusterWithRegistry CLUSTER = new ClusterWithRegistry(Map.of(
            "metrics.fetcher.update-interval", "1000", "execution.checkpointing.min-pause", "500ms",
            "taskmanager.memory.process.size", "1600m"));
    private static final KafkaBroker kafka = SharedKafka.broker();

    private final List<Process> processes = new ArrayList<>();
    /** The alerts of the faults injected so far. */
    private final List<String> injected = new ArrayList<>();
    private final List<Notification> notifications = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private ScheduledExecutorService feed;
    private KafkaProducer<String, String> producer;
    /** The interval before which the feed's last {@link #SPIKE_INTERVALS} intervals swing; 0 for none. */
    private final AtomicInteger spikes = new AtomicInteger();
    /** The first interval at which the second meter drifts; {@link Integer#MAX_VALUE} for none. */
    private final AtomicInteger driftFrom = new AtomicInteger(Integer.MAX_VALUE);
    private HttpServer webhook;

    /** One alert of one webhook call: the receiver's path, the alert's name and status (firing / resolved). */
    record Notification(String path, String alertname, String severity, String status) {}

    @AfterEach
    void stop() throws InterruptedException {
        if (feed != null) {
            feed.shutdownNow();
            feed.awaitTermination(5, TimeUnit.SECONDS);
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        processes.forEach(Process::destroy);
        if (webhook != null) {
            webhook.stop(0);
        }
    }

    @Test
    void onlyTheInjectedFaultAlertsAndReachesTheWebhook() throws Exception {
        long startedAt = System.nanoTime();
        Path work = Files.createDirectories(CLUSTER.cluster().workDir().resolve("alerts"));
        // a second TaskManager, scraped like the first: the job needs one slot, so one of them stays without tasks
        CLUSTER.cluster().startTaskManager();
        int webhookPort = startWebhook();
        int alertmanagerPort = startAlertmanager(work, webhookPort);
        PrometheusApi prometheus = startPrometheus(work, alertmanagerPort);

        Topics topics = Topics.create(kafka, "alerts");
        ClusterRest rest = new ClusterRest(CLUSTER.cluster().restAddress());
        List<String> args = Stream.concat(topics.pipelineArgs(CLUSTER.cluster(), CLUSTER.registry()).stream(),
                loopArgs().stream()).toList();
        String jobId = rest.runJar(rest.uploadJar(JOB_JAR), MeterPipelineJob.class.getName(), args, null);
        // from here the rules watch the job's start: the checkpoints declined while its tasks deploy included
        loadRules(work, prometheus);
        rest.awaitJob(jobId, ClusterRest::allTasksRunning, TIMEOUT, "running with all tasks");

        List<EttRow> rows = EttFixture.rows(0, 4800);
        AtomicInteger produced = new AtomicInteger();
        producer = producer();
        produce(producer, topics, rows.subList(0, BACKLOG), 0);
        produced.set(BACKLOG);
        feed = Executors.newSingleThreadScheduledExecutor();
        feed.scheduleAtFixedRate(() -> {
            int next = produced.getAndIncrement();
            produce(producer, topics, rows.subList(next, next + 1), next);
        }, 0, 1000 / INTERVALS_PER_SECOND, TimeUnit.MILLISECONDS);

        // healthy: nothing fires from the start until the champion has served for a while
        Set<String> firedWhileHealthy = new TreeSet<>();
        await("the loop's first champion serving").atMost(TIMEOUT).pollInterval(POLL).until(() -> {
            firedWhileHealthy.addAll(prometheus.firing());
            return prometheus.value("max(flink_taskmanager_job_task_operator_championVersion)") >= 1;
        });
        long servingSince = System.nanoTime();
        LOG.info("champion serving after {} ms; {} intervals produced", millisSince(startedAt), produced.get());
        await("the champion serving for " + HEALTHY_SERVING).atMost(HEALTHY_SERVING.plusMinutes(1)).pollInterval(POLL)
                .until(() -> {
                    firedWhileHealthy.addAll(prometheus.firing());
                    return System.nanoTime() - servingSince >= HEALTHY_SERVING.toNanos();
                });
        assertThat(prometheus.value("count(up == 1)")).as("every reporter scraped").isEqualTo(3);
        LOG.info("checkpoints failed while the tasks started: {}; largest step between consecutive forecasts: {}",
                (int) prometheus.value("max(flink_jobmanager_job_numberOfFailedCheckpoints)"), prometheus.value(
                        "max(max_over_time(flink_taskmanager_job_task_operator_predictionStabilityDelta[1m]))"));
        assertThat(firedWhileHealthy).as("alerts fired on a healthy loop").isEmpty();
        assertThat(notifications).as("notifications of a healthy loop").isEmpty();
        LOG.info("healthy for {} ms after the champion served ({} intervals produced, champion v{})",
                millisSince(servingSince), produced.get(),
                (int) prometheus.value("max(flink_taskmanager_job_task_operator_championVersion)"));

        // failing checkpoints: the next three checkpoint directories cannot be created
        List<Path> blocked = blockNextCheckpoints(CLUSTER.cluster().checkpointDir().resolve(jobId), 3);
        expectAlone(prometheus, "CheckpointFailures");
        blocked.forEach(AlertRulesIT::delete);
        await("CheckpointFailures resolved").atMost(Duration.ofMinutes(1)).pollInterval(POLL)
                .until(prometheus::firing, firing -> !firing.contains("CheckpointFailures"));
        await("CheckpointFailures resolved at the webhook").atMost(Duration.ofSeconds(30)).pollInterval(POLL)
                .until(() -> notified("CheckpointFailures", "resolved"));

        // unstable predictions: one meter's readings swing between 0 and 40 for a few intervals
        spikes.set(produced.get() + SPIKE_INTERVALS);
        expectAlone(prometheus, "PredictionUnstable");
        // the swing was plausible input: the outlier rule set none of it aside (a swing to 200 lost its four 200s
        // to it, the forecasts then stayed within δ and no STABILITY alarm was raised: measured)
        String outliers = "flink_taskmanager_job_task_operator_reason_imlmaRejected{reason=\"outlier\"}";
        assertThat(prometheus.value("count(" + outliers + ")")).as("outlier counters scraped").isPositive();
        assertThat(prometheus.value("sum(" + outliers + ")")).as("readings rejected as outliers").isZero();
        await("PredictionUnstable resolved").atMost(Duration.ofMinutes(1)).pollInterval(POLL)
                .until(prometheus::firing, Set::isEmpty);

        // a stalled scorer: its next forecasts each hang for a while
        stallScorer(rest);
        expectAlone(prometheus, "LatencyBudgetExceeded");
        await("LatencyBudgetExceeded resolved").atMost(Duration.ofMinutes(1)).pollInterval(POLL)
                .until(prometheus::firing, Set::isEmpty);

        // a corrupted file: a sealed snapshot file rots on the primary path; an operator asks for a retraining
        Path corrupted = firstSealedSnapshotFile(Path.of(topics.snapshots(CLUSTER.cluster())));
        byte[] intact = Files.readAllBytes(corrupted);
        flipABit(corrupted);
        producer.send(new ProducerRecord<>(topics.loop(Topics.RETRAIN_COMMANDS), MODEL, Json.MAPPER.writeValueAsString(
                RetrainCommand.manual(MODEL, "AlertRulesIT", System.currentTimeMillis())))).get();
        expectAlone(prometheus, "IntegrityFailure");
        assertThat(notifications).as("IntegrityFailure pages on-call").anySatisfy(n ->
                assertThat(n).isEqualTo(new Notification("/imlma/critical", "IntegrityFailure", "critical", "firing")));
        assertThat(Files.readAllBytes(corrupted)).as("%s restored from its backup", corrupted).isEqualTo(intact);

        // drifted input: the second meter reads more than it should from now on
        driftFrom.set(produced.get());
        expectAlone(prometheus, "InputDrift");

        // an unreachable reporter: the TaskManager without tasks is killed
        CLUSTER.cluster().killTaskManager(taskManager(rest, true));
        expectAlone(prometheus, "FlinkMetricsUnreachable");
        assertThat(rest.get("jobs/" + jobId).path("state").asText()).as("the job").isEqualTo("RUNNING");
        // alertmanager.yml's routes: critical alerts page on-call, warnings go to the team's webhook
        assertThat(notifications).as("receiver by severity").allSatisfy(n ->
                assertThat(n.path()).as(n.toString()).isEqualTo("/imlma/" + n.severity()));
        LOG.info("alert rules IT took {} ms; notifications: {}", millisSince(startedAt), notifications);
    }

    /**
     * Waits until {@code alert} fires, then checks that it is the only alert firing and that Alertmanager delivers
     * it to the webhook.
     */
    private void expectAlone(PrometheusApi prometheus, String alert) throws Exception {
        long injectedAt = System.nanoTime();
        Set<String> earlier = prometheus.firing();
        assertThat(earlier).as("alerts still firing from earlier faults").isSubsetOf(injected);
        Set<String> firing = await(alert + " firing").atMost(Duration.ofMinutes(2)).pollInterval(POLL)
                .until(prometheus::firing, names -> names.contains(alert));
        firing.removeAll(earlier);
        assertThat(firing).as("alerts firing with " + alert + " (beyond " + earlier + ")").containsExactly(alert);
        await(alert + " at the webhook").atMost(Duration.ofSeconds(30)).pollInterval(POLL)
                .until(() -> notified(alert, "firing"));
        injected.add(alert);
        assertThat(notifications.stream().filter(n -> n.status().equals("firing")).map(Notification::alertname))
                .as("alerts delivered").isSubsetOf(injected);
        LOG.info("{} fired and was delivered {} ms after the fault: {}", alert, millisSince(injectedAt),
                notifications.stream().filter(n -> n.alertname().equals(alert)).toList());
    }

    private boolean notified(String alert, String status) {
        return notifications.stream().anyMatch(n -> n.alertname().equals(alert) && n.status().equals(status));
    }

    /**
     * Puts a file where each of the next {@code count} checkpoints would create its {@code chk-<id>} directory,
     * so the JobManager fails to initialise them; returns the files. The count stays within the project's
     * {@code tolerable-failed-checkpoints} (3), so the job does not fail over.
     */
    private static List<Path> blockNextCheckpoints(Path jobCheckpoints, int count) throws IOException {
        int latest;
        try (Stream<Path> dirs = Files.list(jobCheckpoints)) {
            latest = dirs.map(p -> p.getFileName().toString()).filter(name -> name.matches("chk-\\d+"))
                    .mapToInt(name -> Integer.parseInt(name.substring(4))).max().orElse(0);
        }
        List<Path> blocked = new ArrayList<>();
        for (int id = latest + 1; id <= latest + count; id++) {
            try {
                blocked.add(Files.createFile(jobCheckpoints.resolve("chk-" + id)));
            } catch (FileAlreadyExistsException triggeredMeanwhile) {
                // that checkpoint started while listing; the later ones still fail
            }
        }
        LOG.info("blocked checkpoints after chk-{}: {}", latest, blocked);
        return blocked;
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete " + file, e);
        }
    }

    /** The loop's settings: hourly snapshots, one small first training after two days, no schedule, quick tuning. */
    private static List<String> loopArgs() {
        return List.of("--snapshot.partition", "hourly",
                "--trigger.min-initial-rows", Integer.toString(BACKLOG * METERS.size()),
                // no second retraining while the test runs: its model swap would restart the monitors' warm-up
                "--trigger.theta", "100", "--trigger.schedule.enabled", "false",
                "--launcher.parallelism", "1", "--training.min-windows-per-meter", "30", "--forecast.input-length", "8",
                "--forecast.horizon", "8",
                "--tuning.trials", "2", "--tuning.round-size", "2", "--tuning.patience", "0",
                // event time of 2016 data is years behind the wall clock (as in the demo)
                "--monitor.latency.event-budget", "0",
                // an absolute δ between consecutive forecasts (healthy ones move by under 4): the derived δ needs a
                // week of forecasts per meter first
                "--monitor.stability.delta", "20",
                // a stalled scorer's few slow forecasts reach the 99th percentile of the last 256
                "--monitor.latency.window", "256",
                // the interval means' day-long window tested every six hours by KS (see the class comment); the
                // z-scores' reference holds the first days', standardized while the running statistics settled
                "--monitor.drift.features", "mean", "--monitor.drift.window", Integer.toString(INTERVALS_PER_DAY),
                "--monitor.drift.stride", Integer.toString(INTERVALS_PER_DAY / 4),
                "--monitor.drift.ks-alpha", "1e-35");
    }

    private static KafkaProducer<String, String> producer() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(properties);
    }

    /**
     * One reading per meter (channel) of each row, as JSON; the row's time is the reading's timestamp. Before the
     * interval {@link #spikes}, the first meter reads 0 and {@link #SWING} by turns instead of its value; from the
     * interval {@link #driftFrom} on, the second meter reads {@link #DRIFT} more than its value.
     */
    private void produce(KafkaProducer<String, String> producer, Topics topics, List<EttRow> rows, int first) {
        for (int i = 0; i < rows.size(); i++) {
            EttRow row = rows.get(i);
            int interval = first + i;
            for (String meter : METERS) {
                boolean spike = meter.equals(METERS.get(0)) && interval < spikes.get()
                        && interval >= spikes.get() - SPIKE_INTERVALS;
                boolean drift = meter.equals(METERS.get(1)) && interval >= driftFrom.get();
                double value = spike ? SWING * (interval % 2) : row.value(meter) + (drift ? DRIFT : 0);
                producer.send(new ProducerRecord<>(topics.readings(), "{\"meterId\":\"" + meter
                        + "\",\"timestamp\":" + row.timestamp() + ",\"value\":" + value + "}"));
            }
        }
        producer.flush();
    }

    /** A webhook receiver like the project's alert relay: records every alert of every POST. */
    private int startWebhook() throws IOException {
        webhook = HttpServer.create(new InetSocketAddress(FreePorts.LOOPBACK, 0), 0);
        webhook.createContext("/", exchange -> {
            JsonNode body = Json.MAPPER.readTree(exchange.getRequestBody());
            for (JsonNode alert : body.path("alerts")) {
                notifications.add(new Notification(exchange.getRequestURI().getPath(),
                        alert.path("labels").path("alertname").asText(), alert.path("labels").path("severity").asText(),
                        alert.path("status").asText()));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        webhook.start();
        return webhook.getAddress().getPort();
    }

    /** Alertmanager with the project's config: receivers' URLs to the webhook, group waits 1 s. */
    private int startAlertmanager(Path work, int webhookPort) throws Exception {
        int port = FreePorts.allocate();
        String config = Files.readString(ProjectRoot.resolve("monitoring/alertmanager/alertmanager.yml"))
                .replace("http://alert-relay.monitoring.svc:9095", "http://" + FreePorts.LOOPBACK + ":" + webhookPort)
                .replaceAll("group_wait: \\w+", "group_wait: 1s")
                .replaceAll("group_interval: \\w+", "group_interval: 1s");
        assertThat(config).as("receivers rewritten").doesNotContain("alert-relay");
        Path file = work.resolve("alertmanager.yml");
        Files.writeString(file, config);
        start(work, "alertmanager", List.of("prometheus-alertmanager", "--config.file=" + file,
                "--storage.path=" + work.resolve("alertmanager-data"),
                "--web.listen-address=" + FreePorts.LOOPBACK + ":" + port, "--cluster.listen-address="), port);
        return port;
    }

    /**
     * Prometheus with the project's local config, scaled as the class comment says, and no rules yet; returns once
     * every reporter has been scraped. Prometheus evaluates rules from its start but scrapes a few seconds later:
     * absent() in FlinkJobNotRunning, whose 2 minutes scale to 2 s, would fire in that gap.
     */
    private PrometheusApi startPrometheus(Path work, int alertmanagerPort) throws Exception {
        int port = FreePorts.allocate();
        String targets = Stream.concat(Stream.of(CLUSTER.cluster().jobManager()),
                        CLUSTER.cluster().taskManagers().values().stream())
                .map(p -> "\"" + FreePorts.LOOPBACK + ":" + p.prometheusPort() + "\"")
                .collect(Collectors.joining(", ", "[", "]"));
        String local = Files.readString(ProjectRoot.resolve("monitoring/prometheus/prometheus-local.yml"));
        String config = local.substring(0, local.indexOf("  - job_name: imlma-api"))
                .replace("scrape_interval: 15s", "scrape_interval: 500ms\n  scrape_timeout: 500ms")
                .replace("evaluation_interval: 30s", "evaluation_interval: 1s")
                .replace("[\"localhost:9093\"]", "[\"" + FreePorts.LOOPBACK + ":" + alertmanagerPort + "\"]")
                .replaceAll("\\[\"localhost:9249\"[^\\]]*\\]", Matcher.quoteReplacement(targets));
        assertThat(config).as("scaled and pointed at this cluster").contains("scrape_interval: 500ms",
                "evaluation_interval: 1s", targets).doesNotContain("localhost");
        Files.writeString(work.resolve("prometheus.yml"), config);
        Path rules = Files.createDirectories(work.resolve("rules")).resolve("imlma-alerts.yml");
        Files.writeString(rules, "groups: []\n");
        start(work, "prometheus", List.of("prometheus", "--config.file=" + work.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + work.resolve("prometheus-data"), "--web.enable-lifecycle",
                "--web.listen-address=" + FreePorts.LOOPBACK + ":" + port), port);
        PrometheusApi api = new PrometheusApi(port);
        int reporters = CLUSTER.cluster().taskManagers().size() + 1;
        await("every reporter scraped").atMost(Duration.ofSeconds(30)).pollInterval(POLL)
                .until(() -> api.value("count(up == 1)") == reporters);
        return api;
    }

    /** Writes the project's rules, scaled, and has Prometheus reload them. */
    private void loadRules(Path work, PrometheusApi prometheus) throws Exception {
        String rules = Files.readString(ProjectRoot.resolve("monitoring/prometheus/rules/imlma-alerts.yml"));
        Files.writeString(work.resolve("rules/imlma-alerts.yml"), scaledRules(rules));
        HttpResponse<String> reload = http.send(HttpRequest.newBuilder(URI.create(prometheus.root + "-/reload"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(reload.statusCode()).as("reload: %s", reload.body()).isEqualTo(200);
        assertThat(prometheus.ruleCount()).as("alert rules loaded")
                .isEqualTo((int) rules.lines().filter(line -> line.strip().startsWith("- alert:")).count());
    }

    /**
     * Holds each of the scorer's next {@link #STALLED_FORECASTS} forecasts for {@link #STALL} inside the TaskManager
     * that runs the job, as a hung model call or storage read would: loads Byteman's agent into that live JVM (the
     * JDK's attach API) and submits a rule at the scorer's call of the model.
     */
    private void stallScorer(ClusterRest rest) throws Exception {
        long pid = CLUSTER.cluster().taskManagers().get(taskManager(rest, false)).pid();
        int port = FreePorts.allocate();
        String agent = Path.of(org.jboss.byteman.agent.Main.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI()).toString();
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        try {
            vm.loadAgent(agent, "listener:true,address:" + FreePorts.LOOPBACK + ",port:" + port);
        } finally {
            vm.detach();
        }
        String rule = """
                RULE stalled scorer
                CLASS io.imlma.udf.serve.ScoreWithChampion
                METHOD processElement
                AT INVOKE forecast
                IF incrementCounter("stalled scorer") <= %d
                DO java.util.concurrent.locks.LockSupport.parkNanos(%dL)
                ENDRULE
                """.formatted(STALLED_FORECASTS, STALL.toNanos());
        String answer = new Submit(FreePorts.LOOPBACK, port).addScripts(List.of(new ScriptText("stall.btm", rule)));
        LOG.info("scorer of TaskManager pid {} stalled: {}", pid, answer.strip());
    }

    /** A data file of the first sealed snapshot partition (one with its manifest). */
    private static Path firstSealedSnapshotFile(Path snapshots) throws IOException {
        Path partition;
        try (Stream<Path> partitions = Files.list(snapshots)) {
            partition = partitions.filter(dir -> Files.exists(dir.resolve("_MANIFEST.json"))).sorted().findFirst()
                    .orElseThrow(() -> new AssertionError("no sealed snapshot partition in " + snapshots));
        }
        Path file;
        try (Stream<Path> files = Files.list(partition)) {
            file = files.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().findFirst()
                    .orElseThrow(() -> new AssertionError("no data file in " + partition));
        }
        return file;
    }

    /** Flips a bit in the middle of {@code file}, keeping its size, as a bad disk block would. */
    private static void flipABit(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);
        LOG.info("flipped a bit of {} ({} bytes)", file, bytes.length);
    }

    /** The number of a TaskManager all of whose slots are free ({@code idle}), or of one that runs tasks. */
    private static int taskManager(ClusterRest rest, boolean idle) throws Exception {
        JsonNode match = StreamSupport.stream(rest.get("taskmanagers").path("taskmanagers").spliterator(), false)
                .filter(tm -> (tm.path("freeSlots").asInt() == tm.path("slotsNumber").asInt()) == idle)
                .findFirst().orElseThrow(() -> new AssertionError("no TaskManager " + (idle ? "without" : "with")
                        + " tasks"));
        return Integer.parseInt(match.path("id").asText().substring("taskmanager-".length()));
    }

    /** Every duration in the rules' expressions and {@code for:} clauses divided by 60 (annotations unchanged). */
    static String scaledRules(String rules) {
        return rules.lines().map(line -> line.strip().startsWith("summary:") || line.strip().startsWith("description:")
                        || line.strip().startsWith("#") ? line : scaleLine(line))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static String scaleLine(String line) {
        Matcher m = DURATION.matcher(line.replace("* 60 * 1000", "* 1000"));
        StringBuilder scaled = new StringBuilder();
        while (m.find()) {
            int n = Integer.parseInt(m.group(1));
            String replacement = switch (m.group(2)) {
                case "m" -> n + "s";
                case "h" -> n + "m";
                default -> n * 24 + "m";
            };
            m.appendReplacement(scaled, replacement);
        }
        return m.appendTail(scaled).toString();
    }

    private void start(Path work, String name, List<String> command, int port) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile()).start();
        processes.add(process);
        URI ready = URI.create("http://" + FreePorts.LOOPBACK + ":" + port + "/-/ready");
        await(name + " ready (log " + work.resolve(name + ".log") + ")").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    assertThat(process.isAlive()).as(name + " running; see " + work.resolve(name + ".log")).isTrue();
                    try {
                        return http.send(HttpRequest.newBuilder(ready).GET().build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    } catch (IOException notYet) {
                        return false;
                    }
                });
    }

    private static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }

    /** Prometheus's HTTP API: the alerts firing and instant queries. */
    private final class PrometheusApi {
        private final String root;
        private final String base;

        PrometheusApi(int port) {
            this.root = "http://" + FreePorts.LOOPBACK + ":" + port + "/";
            this.base = root + "api/v1/";
        }

        /** Names of the alerts in state firing (pending ones are not). */
        Set<String> firing() throws Exception {
            return StreamSupport.stream(get("alerts").path("data").path("alerts").spliterator(), false)
                    .filter(a -> a.path("state").asText().equals("firing"))
                    .map(a -> a.path("labels").path("alertname").asText())
                    .collect(Collectors.toCollection(TreeSet::new));
        }

        /** The single value of an instant query, 0 when it has no result. */
        double value(String query) throws Exception {
            JsonNode result = get("query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8))
                    .path("data").path("result");
            return result.isEmpty() ? 0 : result.get(0).path("value").get(1).asDouble();
        }

        /** Rules loaded, over all groups. */
        int ruleCount() throws Exception {
            return StreamSupport.stream(get("rules").path("data").path("groups").spliterator(), false)
                    .mapToInt(group -> group.path("rules").size()).sum();
        }

        private JsonNode get(String path) throws Exception {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
            return Json.MAPPER.readTree(response.body());
        }
    }
}
