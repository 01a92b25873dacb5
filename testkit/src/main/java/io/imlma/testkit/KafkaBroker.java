package io.imlma.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka 3.9 broker in KRaft mode (broker and controller in one process), started in its own JVM.
 *
 * <p>It runs in a separate JVM because the Flink Kafka connector puts kafka-clients 3.4 on the test classpath,
 * which the 3.9 broker cannot share. The broker's classpath comes from {@code kafka-broker/target/broker.classpath},
 * written by the kafka-broker module at {@code generate-resources}. Its output goes to
 * {@code target/kafka-broker/broker-<port>.log} of the module whose tests start it.
 *
 * <p>Single-node settings: replication factor and min ISR 1 everywhere, no initial rebalance delay.
 * {@code transaction.max.timeout.ms} stays at Kafka's default of 15 minutes, as on a production broker, so a
 * transactional producer must set {@code transaction.timeout.ms} to at most 15 minutes. Flink's {@code KafkaSink}
 * defaults to one hour, which this broker (like a default production broker) rejects at {@code initTransactions}.
 */
public final class KafkaBroker implements AutoCloseable {

    public static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    public static final long TRANSACTION_MAX_TIMEOUT_MS = Duration.ofMinutes(15).toMillis();

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ADMIN_CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final int NODE_ID = 1;

    private final ChildJvm jvm;
    private final int port;
    private final Admin admin;
    private final Duration startupTime;
    private boolean closed;

    private KafkaBroker(ChildJvm jvm, int port, Admin admin, Duration startupTime) {
        this.jvm = jvm;
        this.port = port;
        this.admin = admin;
        this.startupTime = startupTime;
    }

    /**
     * Formats a fresh log directory, launches the broker and returns once it answers a metadata request.
     *
     * @throws IllegalStateException if the broker classpath is missing, or the broker does not become ready within
     *     {@link #START_TIMEOUT} (the message includes the end of the broker's log)
     */
    public static KafkaBroker start() {
        long launchedAt = System.nanoTime();
        String classpath = readBrokerClasspath();
        List<Integer> ports = FreePorts.allocate(2);
        int port = ports.get(0);
        int controllerPort = ports.get(1);
        Path workDir = createTempDirectory();
        Path logFile = logFileFor(port);
        ChildJvm jvm = null;
        Admin admin = null;
        try {
            Path serverProperties = writeServerProperties(workDir, port, controllerPort);
            Path log4jProperties = writeLog4jProperties(workDir);
            javaCommand(classpath, log4jProperties, "kafka.tools.StorageTool")
                    .name("Kafka StorageTool format")
                    .args("format", "--cluster-id", Uuid.randomUuid().toString(), "--config",
                            serverProperties.toString())
                    .output(logFile)
                    .run(FORMAT_TIMEOUT);

            jvm = javaCommand(classpath, log4jProperties, "kafka.Kafka")
                    .name("kafka-broker-" + port)
                    .args(serverProperties.toString())
                    .appendOutput(logFile)
                    .afterStop(() -> deleteRecursively(workDir))
                    .start();
            // the admin client connects as soon as it exists, logging a warning per refused attempt, so it is
            // created once the listener accepts connections
            jvm.awaitReady("the Kafka broker's listener on " + port, remaining(launchedAt),
                    () -> FreePorts.isListening(port));
            admin = Admin.create(adminProperties(port));
            Admin client = admin;
            jvm.awaitReady("the Kafka broker to serve metadata", remaining(launchedAt), () -> servesMetadata(client));
            Duration startupTime = Duration.ofNanos(System.nanoTime() - launchedAt);
            LOG.info("Kafka broker ready at {} in {} ms (pid {}, log {})", bootstrapServers(port),
                    startupTime.toMillis(), jvm.pid(), logFile);
            return new KafkaBroker(jvm, port, admin, startupTime);
        } catch (IOException e) {
            cleanUpAfterFailedStart(jvm, admin, workDir);
            throw new UncheckedIOException("cannot start Kafka broker; log: " + logFile, e);
        } catch (RuntimeException e) {
            cleanUpAfterFailedStart(jvm, admin, workDir);
            throw e;
        }
    }

    /** {@code 127.0.0.1:<port>} of the PLAINTEXT listener. */
    public String bootstrapServers() {
        return bootstrapServers(port);
    }

    public int port() {
        return port;
    }

    /** Process id of the broker JVM. */
    public long pid() {
        return jvm.pid();
    }

    /** Time from {@link #start()} until the broker answered its first metadata request. */
    public Duration startupTime() {
        return startupTime;
    }

    public Path logFile() {
        return jvm.logFile();
    }

    /** Creates a topic with replication factor 1 and returns once every partition has a leader. */
    public void createTopic(String name, int partitions) {
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                    .all()
                    .get(ADMIN_CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topic " + name + " with " + partitions + " partitions", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        }
        jvm.awaitReady("a leader for each of the " + partitions + " partitions of " + name, ADMIN_CALL_TIMEOUT,
                () -> allLed(name, partitions));
    }

    /** Stops the broker (SIGTERM, then SIGKILL after a timeout) and deletes its data directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        admin.close(Duration.ofSeconds(5));
        jvm.close();
        LOG.info("Kafka broker at {} stopped", bootstrapServers());
    }

    private static String bootstrapServers(int port) {
        return FreePorts.LOOPBACK + ":" + port;
    }

    private static Duration remaining(long launchedAt) {
        return START_TIMEOUT.minusNanos(System.nanoTime() - launchedAt);
    }

    private boolean allLed(String topic, int partitions) throws Exception {
        TopicDescription description;
        try {
            description = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(ADMIN_CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic);
        } catch (ExecutionException e) {
            // the broker's metadata cache can lag the controller's creation briefly; asked again until the timeout
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw e;
        }
        return description.partitions().size() == partitions
                && description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
    }

    /** The listener opens before requests are served; a metadata answer listing a broker means it serves. */
    private static boolean servesMetadata(Admin admin) throws InterruptedException {
        try {
            Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
                    .nodes()
                    .get();
            return !nodes.isEmpty();
        } catch (ExecutionException notYetServing) {
            return false;
        }
    }

    private static ChildJvm.Builder javaCommand(String classpath, Path log4jProperties, String mainClass) {
        return ChildJvm.java(mainClass)
                .jvmOptions("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC",
                        // a test broker moves little data: C1 only starts faster and leaves the 2 cores to the tests
                        "-XX:TieredStopAtLevel=1",
                        "-Djava.awt.headless=true",
                        "-Dlog4j.configuration=" + log4jProperties.toUri())
                .classpath(classpath);
    }

    private static Path writeServerProperties(Path workDir, int port, int controllerPort) throws IOException {
        Path dataDir = Files.createDirectories(workDir.resolve("data"));
        Map<String, String> settings = Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", String.valueOf(NODE_ID)),
                Map.entry("controller.quorum.voters", NODE_ID + "@" + FreePorts.LOOPBACK + ":" + controllerPort),
                Map.entry("listeners", "PLAINTEXT://" + bootstrapServers(port)
                        + ",CONTROLLER://" + FreePorts.LOOPBACK + ":" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://" + bootstrapServers(port)),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("log.dirs", dataDir.toString()),
                Map.entry("num.partitions", "1"),
                Map.entry("default.replication.factor", "1"),
                Map.entry("min.insync.replicas", "1"),
                Map.entry("offsets.topic.replication.factor", "1"),
                // fewer internal partitions than the default 50: each costs startup time on a 2-core machine
                Map.entry("offsets.topic.num.partitions", "4"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "4"),
                Map.entry("transaction.max.timeout.ms", String.valueOf(TRANSACTION_MAX_TIMEOUT_MS)),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // records carry the event times of test data, often years old: with time-based retention every
                // segment but the active one would be deleted at the first retention check (30 s after start)
                Map.entry("log.retention.ms", "-1"),
                // the cleaner's default 128 MB buffer is sized for production compaction
                Map.entry("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024)));
        Properties properties = new Properties();
        properties.putAll(settings);
        Path file = workDir.resolve("server.properties");
        try (var writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(writer, "single-node KRaft broker for tests");
        }
        return file;
    }

    private static Path writeLog4jProperties(Path workDir) throws IOException {
        Path file = workDir.resolve("log4j.properties");
        Files.writeString(file, String.join("\n",
                "log4j.rootLogger=INFO, stdout",
                "log4j.appender.stdout=org.apache.log4j.ConsoleAppender",
                "log4j.appender.stdout.layout=org.apache.log4j.PatternLayout",
                "log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n",
                // per-partition and per-request chatter; warnings and errors still show
                "log4j.logger.kafka.request.logger=WARN",
                "log4j.logger.state.change.logger=WARN",
                "log4j.logger.kafka.log=WARN",
                "log4j.logger.org.apache.kafka.storage.internals.log=WARN",
                ""));
        return file;
    }

    private static Properties adminProperties(int port) {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(port));
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "testkit-broker-admin-" + port);
        return properties;
    }

    /** The broker classpath file the kafka-broker module writes. */
    private static String readBrokerClasspath() {
        Path file = ProjectRoot.resolve("kafka-broker/target/broker.classpath");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing; build the kafka-broker module first: "
                    + "mvn -pl kafka-broker generate-resources");
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static Path logFileFor(int port) {
        Path dir = Path.of(System.getProperty("user.dir"), "target", "kafka-broker");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        return dir.resolve("broker-" + port + ".log");
    }

    private static Path createTempDirectory() {
        try {
            return Files.createTempDirectory("imlma-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the Kafka broker", e);
        }
    }

    private static void cleanUpAfterFailedStart(ChildJvm jvm, Admin admin, Path workDir) {
        if (admin != null) {
            admin.close(Duration.ZERO);
        }
        if (jvm != null) {
            jvm.kill();
        } else {
            deleteRecursively(workDir);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.warn("cannot delete Kafka broker directory {}", dir, e);
        }
    }
}
