package io.imlma.testkit;

import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standalone Flink 1.20 session cluster of real JVMs, the Java twin of {@code cluster/start-cluster.sh}: one
 * JobManager ({@code StandaloneSessionClusterEntrypoint}) and TaskManagers ({@code TaskManagerRunner}) on the
 * classpath of the flink-cluster module ({@code flink-cluster/target/cluster.classpath}), with the project's
 * {@code flink-conf/config.yaml} and single-machine overrides put over it by Flink's own tool into
 * {@code <work dir>/conf}: loopback addresses, free ports, small memory sizes, file:// checkpoints and savepoints
 * under the work directory. {@code cluster/flink --work-dir <work dir>} (Flink's CLI) reads the same configuration.
 *
 * <p>Each process gets its own Prometheus reporter port, so a test knows where to scrape a given TaskManager. The
 * work directory (config, logs, checkpoints, savepoints, uploads) is {@code target/flink-cluster/<rest port>} of the
 * module whose tests start it, and is kept after {@link #close()} for reading the logs.
 */
public final class StandaloneFlinkCluster implements AutoCloseable {

    public static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private static final Logger LOG = LoggerFactory.getLogger(StandaloneFlinkCluster.class);
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);
    private static final String RESULT_MARKER = "BASH_JAVA_UTILS_EXEC_RESULT:";
    private static final Pattern TASK_MANAGERS = Pattern.compile("\"taskmanagers\":(\\d+)");

    private final Path workDir;
    private final Path confDir;
    private final String classpath;
    private final List<String> jvmOptions;
    private final int restPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<Integer, ClusterProcess> taskManagers = new TreeMap<>();
    private ClusterProcess jobManager;
    private List<String> taskManagerResourceParams;
    private int nextTaskManager = 1;
    private boolean closed;

    /** One JVM of the cluster. */
    public record ClusterProcess(ChildJvm jvm, int prometheusPort) {
        public String name() {
            return jvm.name();
        }

        public long pid() {
            return jvm.pid();
        }

        public Path logFile() {
            return jvm.logFile();
        }
    }

    private StandaloneFlinkCluster(Path root, Map<String, String> overrides) throws IOException {
        List<Integer> ports = FreePorts.allocate(2);
        this.restPort = ports.get(0);
        this.workDir = Path.of(System.getProperty("user.dir"), "target", "flink-cluster", String.valueOf(restPort))
                .toAbsolutePath();
        this.confDir = Files.createDirectories(workDir.resolve("conf"));
        Files.createDirectories(workDir.resolve("log"));
        Files.copy(root.resolve("flink-conf/log4j.properties"), confDir.resolve("log4j.properties"),
                REPLACE_EXISTING);
        this.classpath = readClasspath(root);
        this.jvmOptions = Files.readAllLines(root.resolve("cluster/jvm-options")).stream()
                .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();

        Map<String, String> local = new LinkedHashMap<>();
        local.put("jobmanager.rpc.address", FreePorts.LOOPBACK);
        local.put("jobmanager.rpc.port", String.valueOf(ports.get(1)));
        local.put("jobmanager.bind-host", FreePorts.LOOPBACK);
        local.put("taskmanager.host", FreePorts.LOOPBACK);
        local.put("taskmanager.bind-host", FreePorts.LOOPBACK);
        local.put("rest.address", FreePorts.LOOPBACK);
        local.put("rest.bind-address", FreePorts.LOOPBACK);
        local.put("rest.port", String.valueOf(restPort));
        local.put("jobmanager.memory.process.size", "768m");
        local.put("taskmanager.memory.process.size", "1g");
        // a smaller RocksDB share leaves the task heap of a 1 GB TaskManager room for the Kafka clients
        local.put("taskmanager.memory.managed.fraction", "0.2");
        local.put("taskmanager.numberOfTaskSlots", "2");
        local.put("parallelism.default", "1");
        local.put("execution.checkpointing.dir", checkpointDir().toUri().toString());
        local.put("execution.checkpointing.savepoint-dir", savepointDir().toUri().toString());
        local.put("io.tmp.dirs", workDir.resolve("tmp").toString());
        local.put("web.tmpdir", workDir.resolve("tmp").toString());
        local.put("web.upload.dir", workDir.resolve("upload").toString());
        local.putAll(overrides);
        List<String> effective = new ArrayList<>(List.of("# written by " + getClass().getName()));
        effective.addAll(bashJavaUtils("UPDATE_AND_GET_FLINK_CONFIGURATION", root.resolve("flink-conf"), local));
        Files.write(confDir.resolve("config.yaml"), effective, StandardCharsets.UTF_8);
        for (String dir : List.of("tmp", "upload", "checkpoints", "savepoints")) {
            Files.createDirectories(workDir.resolve(dir));
        }
    }

    /**
     * Starts a JobManager and {@code taskManagers} TaskManagers and returns once the REST API lists all of them.
     *
     * @param overrides further Flink options (e.g. {@code heartbeat.interval}), applied over the local defaults
     * @throws IllegalStateException if a process exits or the cluster is not ready within {@link #START_TIMEOUT}
     */
    public static StandaloneFlinkCluster start(int taskManagers, Map<String, String> overrides) {
        long startedAt = System.nanoTime();
        StandaloneFlinkCluster cluster;
        try {
            cluster = new StandaloneFlinkCluster(ProjectRoot.path(), overrides);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Flink cluster's work directory", e);
        }
        try {
            cluster.jobManager = cluster.launch("jobmanager",
                    "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                    cluster.resourceParams("GET_JM_RESOURCE_PARAMS"), Map.of());
            for (int i = 0; i < taskManagers; i++) {
                cluster.launchTaskManager();
            }
            cluster.awaitTaskManagers(taskManagers, START_TIMEOUT);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        LOG.info("Flink cluster ready at {} with {} TaskManager(s) in {} ms (work dir {})", cluster.restAddress(),
                taskManagers, Duration.ofNanos(System.nanoTime() - startedAt).toMillis(), cluster.workDir);
        return cluster;
    }

    public static StandaloneFlinkCluster start(int taskManagers) {
        return start(taskManagers, Map.of());
    }

    /** {@code http://127.0.0.1:<port>/}: REST API and web UI. */
    public URI restAddress() {
        return URI.create("http://" + FreePorts.LOOPBACK + ":" + restPort + "/");
    }

    public Path workDir() {
        return workDir;
    }

    public Path checkpointDir() {
        return workDir.resolve("checkpoints");
    }

    public Path savepointDir() {
        return workDir.resolve("savepoints");
    }

    public ClusterProcess jobManager() {
        return jobManager;
    }

    /** The TaskManagers started and not killed, by number (1, 2, ... in start order). */
    public synchronized Map<Integer, ClusterProcess> taskManagers() {
        return Map.copyOf(taskManagers);
    }

    /**
     * Starts another TaskManager and returns its number once the JobManager lists it (by its resource id,
     * {@code taskmanager-<number>}; a killed TaskManager may still be listed until its heartbeat times out).
     */
    public synchronized int startTaskManager() {
        int number = launchTaskManager();
        String id = "\"id\":\"taskmanager-" + number + "\"";
        ChildJvm.awaitWhileAlive(processes(), taskManagers.get(number).jvm(), "taskmanager-" + number
                + " to register", START_TIMEOUT, () -> get("taskmanagers").contains(id));
        return number;
    }

    /** Kills TaskManager {@code number} with SIGKILL ({@code kill -9}) and returns once the process has exited. */
    public synchronized void killTaskManager(int number) {
        ClusterProcess taskManager = taskManagers.remove(number);
        if (taskManager == null) {
            throw new IllegalArgumentException("no running TaskManager " + number + "; running: "
                    + taskManagers.keySet());
        }
        taskManager.jvm().kill();
    }

    /** TaskManagers the JobManager lists right now ({@code GET /overview}); -1 while the REST API does not answer. */
    public int registeredTaskManagers() {
        Matcher matcher = TASK_MANAGERS.matcher(get("overview"));
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    /** The body of a REST GET, or "" while the REST API does not answer. */
    private String get(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(restAddress().resolve(path))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : "";
        } catch (IOException notYetAnswering) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the JobManager", e);
        }
    }

    /**
     * Waits until the JobManager lists exactly {@code count} TaskManagers, e.g. until a killed one is declared lost.
     *
     * @throws IllegalStateException if a cluster process exits meanwhile or the count is not reached in time
     */
    public void awaitTaskManagers(int count, Duration timeout) {
        ChildJvm.awaitWhileAlive(processes(), jobManager.jvm(), count + " TaskManagers listed by the JobManager",
                timeout, () -> registeredTaskManagers() == count);
    }

    /** Stops all its processes (SIGTERM, SIGKILL after 30 s). Logs stay in the work directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ChildJvm.stopAll(processes());
        LOG.info("Flink cluster at {} stopped; logs in {}", restAddress(), workDir.resolve("log"));
    }

    private synchronized int launchTaskManager() {
        if (taskManagerResourceParams == null) {
            // the same for every TaskManager: computed once, so a replacement starts as fast as it can
            taskManagerResourceParams = resourceParams("GET_TM_RESOURCE_PARAMS");
        }
        int number = nextTaskManager++;
        String name = "taskmanager-" + number;
        taskManagers.put(number, launch(name, "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                taskManagerResourceParams, Map.of("taskmanager.resource-id", name)));
        return number;
    }

    private ClusterProcess launch(String name, String mainClass, List<String> resourceParams,
            Map<String, String> processSettings) {
        int prometheusPort = FreePorts.allocate();
        Map<String, String> processConfig = new LinkedHashMap<>();
        processConfig.put("metrics.reporter.prom.port", String.valueOf(prometheusPort));
        processConfig.putAll(processSettings);
        Path logFile = workDir.resolve("log").resolve(name + ".log");
        List<String> args = new ArrayList<>(List.of("--configDir", confDir.toString()));
        args.addAll(dynamicProperties(processConfig));
        if (resourceParams.size() > 1 && !resourceParams.get(1).isBlank()) {
            args.addAll(List.of(resourceParams.get(1).strip().split("\\s+")));
        }
        ChildJvm jvm = ChildJvm.java(mainClass).name(name)
                .jvmOptions(resourceParams.get(0).split("\\s+"))
                .jvmOptions(jvmOptions)
                .jvmOptions("-XX:+UseSerialGC", "-Dlog.file=" + logFile,
                        "-Dlog4j.configurationFile=" + confDir.resolve("log4j.properties").toUri())
                .classpath(classpath)
                .args(args)
                .output(workDir.resolve("log").resolve(name + ".out"))
                .logFile(logFile)
                .start();
        LOG.info("{} has Prometheus port {}, log {}", name, prometheusPort, logFile);
        return new ClusterProcess(jvm, prometheusPort);
    }

    /**
     * Flink's BashJavaUtils turns the configured process memory into JVM flags (first result line) and, for a
     * TaskManager, the derived memory options its runner requires (second line), as bin/taskmanager.sh does.
     */
    private List<String> resourceParams(String command) {
        return bashJavaUtils(command, confDir, Map.of());
    }

    /** The result lines of Flink's BashJavaUtils {@code command} on the configuration in {@code configDir}. */
    private List<String> bashJavaUtils(String command, Path configDir, Map<String, String> dynamicProperties) {
        List<String> args = new ArrayList<>(List.of(command, "--configDir", configDir.toString()));
        args.addAll(dynamicProperties(dynamicProperties));
        String output = ChildJvm.java("org.apache.flink.runtime.util.bash.BashJavaUtils")
                .name("BashJavaUtils " + command)
                .jvmOptions("-Xmx128m", "-XX:TieredStopAtLevel=1",
                        "-Dlog4j.configurationFile=" + confDir.resolve("log4j.properties").toUri(),
                        "-Dlog.file=" + workDir.resolve("log").resolve("bash-java-utils.log"))
                .classpath(classpath)
                .args(args)
                .output(workDir.resolve("log").resolve("bash-java-utils-" + command + ".out"))
                .run(TOOL_TIMEOUT);
        List<String> results = output.lines().filter(line -> line.startsWith(RESULT_MARKER))
                .map(line -> line.substring(RESULT_MARKER.length())).toList();
        if (results.isEmpty()) {
            throw new IllegalStateException("BashJavaUtils " + command + " printed no result:\n" + output);
        }
        return results;
    }

    private static List<String> dynamicProperties(Map<String, String> config) {
        List<String> args = new ArrayList<>();
        config.forEach((key, value) -> args.addAll(List.of("-D", key + "=" + value)));
        return args;
    }

    /** The JobManager and the TaskManagers started and not killed. */
    private synchronized List<ChildJvm> processes() {
        List<ChildJvm> processes = new ArrayList<>();
        taskManagers.values().forEach(p -> processes.add(p.jvm()));
        if (jobManager != null) {
            processes.add(jobManager.jvm());
        }
        return processes;
    }

    private static String readClasspath(Path root) throws IOException {
        Path file = root.resolve("flink-cluster/target/cluster.classpath");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing; build the flink-cluster module first: "
                    + "mvn -pl flink-cluster generate-resources");
        }
        return Files.readString(file, StandardCharsets.UTF_8).strip();
    }
}
