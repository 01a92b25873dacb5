package io.imlma.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ADMIN_CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final int LOG_TAIL_LINES = 60;
    private static final int NODE_ID = 1;

    private final Process process;
    private final int port;
    private final Path workDir;
    private final Path logFile;
    private final Admin admin;
    private final Duration startupTime;
    private final Thread stopAtExit;
    private boolean closed;

    private KafkaBroker(Process process, int port, Path workDir, Path logFile, Admin admin, Duration startupTime,
            Thread stopAtExit) {
        this.process = process;
        this.port = port;
        this.workDir = workDir;
        this.logFile = logFile;
        this.admin = admin;
        this.startupTime = startupTime;
        this.stopAtExit = stopAtExit;
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
        Process process = null;
        Admin admin = null;
        try {
            Path serverProperties = writeServerProperties(workDir, port, controllerPort);
            Path log4jProperties = writeLog4jProperties(workDir);
            formatStorage(classpath, log4jProperties, serverProperties, logFile);

            process = javaCommand(classpath, log4jProperties, "kafka.Kafka", serverProperties.toString())
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            Thread stopAtExit = new Thread(destroyAndDelete(process, workDir), "kafka-broker-" + port + "-stop");
            Runtime.getRuntime().addShutdownHook(stopAtExit);

            long deadline = launchedAt + START_TIMEOUT.toNanos();
            // the admin client connects as soon as it exists, logging a warning per refused attempt, so it is
            // created once the listener accepts connections
            awaitListening(process, port, logFile, deadline);
            admin = Admin.create(adminProperties(port));
            awaitMetadata(process, admin, logFile, deadline);
            Duration startupTime = Duration.ofNanos(System.nanoTime() - launchedAt);
            LOG.info("Kafka broker ready at {} in {} ms (pid {}, log {})", bootstrapServers(port),
                    startupTime.toMillis(), process.pid(), logFile);
            return new KafkaBroker(process, port, workDir, logFile, admin, startupTime, stopAtExit);
        } catch (IOException e) {
            cleanUpAfterFailedStart(process, admin, workDir);
            throw new UncheckedIOException("cannot start Kafka broker; log: " + logFile, e);
        } catch (RuntimeException e) {
            cleanUpAfterFailedStart(process, admin, workDir);
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
        return process.pid();
    }

    /** Time from {@link #start()} until the broker answered its first metadata request. */
    public Duration startupTime() {
        return startupTime;
    }

    public Path logFile() {
        return logFile;
    }

    /** Creates a topic with replication factor 1 and returns once every partition has a leader. */
    public void createTopic(String name, int partitions) {
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                    .all()
                    .get(ADMIN_CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            awaitLeaders(name, partitions);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topic " + name + " with " + partitions + " partitions", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        }
    }

    /** Stops the broker (SIGTERM, then SIGKILL after a timeout) and deletes its data directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        admin.close(Duration.ofSeconds(5));
        destroyAndDelete(process, workDir).run();
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException jvmAlreadyShuttingDown) {
            // the hook is running or about to run; it finds the process gone and the directory deleted
        }
        LOG.info("Kafka broker at {} stopped", bootstrapServers());
    }

    private static String bootstrapServers(int port) {
        return FreePorts.LOOPBACK + ":" + port;
    }

    private void awaitLeaders(String topic, int partitions) throws InterruptedException, ExecutionException,
            TimeoutException {
        long deadline = System.nanoTime() + ADMIN_CALL_TIMEOUT.toNanos();
        while (true) {
            TopicDescription description = null;
            try {
                description = admin.describeTopics(List.of(topic))
                        .allTopicNames()
                        .get(ADMIN_CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .get(topic);
            } catch (ExecutionException e) {
                // the broker's metadata cache can lag the controller's creation briefly; asked again until the deadline
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            boolean allLed = description != null && description.partitions().size() == partitions
                    && description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
            if (allLed) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("partitions of " + topic + " have no leader yet: " + description);
            }
            checkAlive(process, logFile);
            process.waitFor(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static void awaitListening(Process process, int port, Path logFile, long deadline) {
        try {
            while (!FreePorts.isListening(port)) {
                checkAliveBefore(deadline, process, logFile);
                process.waitFor(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
        }
    }

    /** The listener opens before requests are served; a metadata answer listing a broker means it serves. */
    private static void awaitMetadata(Process process, Admin admin, Path logFile, long deadline) {
        try {
            while (true) {
                checkAliveBefore(deadline, process, logFile);
                try {
                    Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
                            .nodes()
                            .get();
                    if (!nodes.isEmpty()) {
                        return;
                    }
                } catch (ExecutionException notYetServing) {
                    // retried until the deadline; waiting on the process also notices if it dies meanwhile
                }
                process.waitFor(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
        }
    }

    private static void checkAlive(Process process, Path logFile) {
        if (!process.isAlive()) {
            throw new IllegalStateException("Kafka broker exited with code " + process.exitValue()
                    + "; last lines of " + logFile + ":\n" + tail(logFile));
        }
    }

    private static void checkAliveBefore(long deadline, Process process, Path logFile) {
        checkAlive(process, logFile);
        if (System.nanoTime() - deadline > 0) {
            throw new IllegalStateException("Kafka broker not ready within " + START_TIMEOUT.toSeconds()
                    + " s; last lines of " + logFile + ":\n" + tail(logFile));
        }
    }

    private static void formatStorage(String classpath, Path log4jProperties, Path serverProperties, Path logFile)
            throws IOException {
        String clusterId = Uuid.randomUuid().toString();
        Process format = javaCommand(classpath, log4jProperties, "kafka.tools.StorageTool",
                "format", "--cluster-id", clusterId, "--config", serverProperties.toString())
                .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()))
                .start();
        try {
            if (!format.waitFor(FORMAT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                format.destroyForcibly();
                throw new IllegalStateException("Kafka StorageTool format did not finish within "
                        + FORMAT_TIMEOUT.toSeconds() + " s; last lines of " + logFile + ":\n" + tail(logFile));
            }
        } catch (InterruptedException e) {
            format.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting Kafka storage", e);
        }
        if (format.exitValue() != 0) {
            throw new IllegalStateException("Kafka StorageTool format failed with code " + format.exitValue()
                    + "; last lines of " + logFile + ":\n" + tail(logFile));
        }
    }

    private static ProcessBuilder javaCommand(String classpath, Path log4jProperties, String mainClass,
            String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms128m",
                "-Xmx512m",
                "-XX:+UseSerialGC",
                // a test broker moves little data: C1 only starts faster and leaves the 2 cores to the tests
                "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true",
                "-Dlog4j.configuration=" + log4jProperties.toUri(),
                "-cp", classpath,
                mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true);
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

    /**
     * The broker classpath file, found from the working directory (the module under test) upwards at the project
     * root, the directory holding {@code kafka-broker/pom.xml}.
     */
    private static String readBrokerClasspath() {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("kafka-broker").resolve("pom.xml"))) {
                Path file = dir.resolve("kafka-broker").resolve("target").resolve("broker.classpath");
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
        }
        throw new IllegalStateException("no directory containing kafka-broker/pom.xml at or above " + start
                + "; the Kafka broker can only be started from inside the project");
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

    private static void cleanUpAfterFailedStart(Process process, Admin admin, Path workDir) {
        if (admin != null) {
            admin.close(Duration.ZERO);
        }
        if (process != null) {
            process.destroyForcibly();
        }
        destroyAndDelete(process, workDir).run();
    }

    private static Runnable destroyAndDelete(Process process, Path workDir) {
        return () -> {
            if (process != null) {
                stop(process);
            }
            deleteRecursively(workDir);
        };
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Kafka broker (pid {}) did not stop within {} s; killing it", process.pid(),
                        STOP_TIMEOUT.toSeconds());
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
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

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
