package io.imlma.jobs.launch;

import io.imlma.common.config.ConfigException;
import io.imlma.common.config.Option;
import io.imlma.common.config.Settings;
import io.imlma.common.types.RetrainRequest;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validated launcher settings; {@link #from} fails at start with a {@link ConfigException} naming the setting, and
 * {@link #create} builds the launcher (on the task manager, for {@link LaunchRetrainFunction}).
 *
 * <p>The settings, their defaults and what each mode needs are {@link #OPTIONS} (listed in docs/settings.md).
 */
public record LauncherConfig(Mode mode, String entryClass, int parallelism, Map<String, String> jobSettings,
        URI restAddress, String jar, Duration pollInterval, Duration timeout, String k8sOutputDir,
        KubernetesJobRunner.Pod k8sPod, String k8sNamespace, Ledger ledger) implements Serializable {

    /** Kubernetes' names: DNS-1123 labels and subdomains. */
    private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String DNS_SUBDOMAIN = DNS_LABEL + "(\\." + DNS_LABEL + ")*";
    private static final String KUBERNETES_SUBDOMAIN_PROBLEM = "must be a Kubernetes name of at most 253 lower-case"
            + " letters, digits, '.' and '-'";

    /** The retraining job; {@code io.imlma.jobs.VerifySnapshotJob} only verifies and reads the range. */
    public static final String DEFAULT_ENTRY = "io.imlma.jobs.RetrainJob";

    public static final Option<Mode> MODE = Option.enumValue("launcher.mode", Mode.class)
            .defaultValue(Mode.LOCAL)
            .description("local: the job and its Flink jobs in this process; flink-client: the job's driver here,"
                    + " each of its Flink jobs on a session cluster (like an attached flink run, for jobs that"
                    + " execute several times such as RetrainJob); flink-rest: the whole program on the cluster"
                    + " through /jars/:jarid/run (jobs that execute once); kubernetes: a Kubernetes Job per request"
                    + " running the job in its pod's JVM.");
    public static final Option<String> ENTRY_CLASS = Option.string("launcher.entry-class").defaultValue(DEFAULT_ENTRY)
            .description("The batch job, a BatchJobEntry (io.imlma.jobs.VerifySnapshotJob only verifies and reads"
                    + " the range).");
    public static final Option<Integer> PARALLELISM = Option.integer("launcher.parallelism").defaultValue(2)
            .check(p -> p >= 1, "must be at least 1")
            .description("Parallelism of the batch job (kubernetes: the pod's local environment has one slot per"
                    + " CPU the JVM sees).");
    /**
     * What RetrainJob reads besides the request: storage, registry, and the training, tuning, feature and policy
     * settings (serving and training must agree on the features).
     */
    public static final Option<String> PASS_THROUGH = Option.string("launcher.pass-through")
            .defaultValue("snapshot.,registry.,model.,training.,tuning.,forecast.,features.,replacement.")
            .description("Comma-separated prefixes of the settings handed to the job as --key=value.");
    public static final Option<String> REST_ADDRESS = Option.string("launcher.rest-address")
            .defaultText("(required by flink-rest, flink-client)")
            .description("The session cluster's REST address, e.g. http://jm:8081 (flink-client: http with a port).");
    public static final Option<String> JAR = Option.string("launcher.jar")
            .defaultText("(required by flink-rest, flink-client)")
            .description("The shaded job jar: uploaded (flink-rest) or shipped with every Flink job (flink-client);"
                    + " the same build as the launcher's classes.");
    public static final Option<Duration> POLL_INTERVAL = Option.duration("launcher.poll-interval")
            .defaultValue(Duration.ofSeconds(2)).check(d -> !d.isNegative() && !d.isZero(), "must be positive")
            .description("flink-rest: how often the job's state is polled.");
    public static final Option<Duration> TIMEOUT = Option.duration("launcher.timeout")
            .defaultValue(Duration.ofHours(6)).check(d -> !d.isNegative() && !d.isZero(), "must be positive")
            .description("flink-rest: how long a job may run before it counts as failed.");
    public static final Option<String> K8S_OUTPUT_DIR = Option.string("launcher.k8s.output-dir")
            .defaultText("(required by kubernetes)").description("kubernetes: directory the Job files are written to.");
    public static final Option<String> K8S_IMAGE = Option.string("launcher.k8s.image")
            .check(i -> i.matches("[A-Za-z0-9][A-Za-z0-9._/:@-]*"),
                    "must be an image reference such as registry.example.org/imlma/flink:0.1.0")
            .defaultText("k8s/retrain-job.yaml's").description("kubernetes: the image with the job jar.");
    public static final Option<String> K8S_CONFIG_MAP = Option.string("launcher.k8s.config-map")
            .check(n -> isKubernetesName(n, true), KUBERNETES_SUBDOMAIN_PROBLEM).defaultText("k8s/retrain-job.yaml's")
            .description("kubernetes: the ConfigMap with the programs' imlma.properties.");
    public static final Option<String> K8S_REGISTRY_SECRET = Option.string("launcher.k8s.registry-secret")
            .check(n -> isKubernetesName(n, true), KUBERNETES_SUBDOMAIN_PROBLEM).defaultText("k8s/retrain-job.yaml's")
            .description("kubernetes: the Secret with the registry's user and password.");
    public static final Option<String> K8S_NAMESPACE = Option.string("launcher.k8s.namespace")
            .check(n -> isKubernetesName(n, false), "must be a Kubernetes name of at most 63 lower-case letters,"
                    + " digits and '-'")
            .defaultText("(the Job's default)").description("kubernetes: namespace of the Jobs.");
    public static final Option<Ledger> LEDGER = Option.enumValue("launcher.ledger", Ledger.class)
            .defaultValue(Ledger.MEMORY)
            .description("Where launches are recorded: memory (one process) or registry (the registry database"
                    + " named by the passed-through registry.* settings, so a request replayed after a restart"
                    + " starts nothing).");
    public static final List<Option<?>> OPTIONS = List.of(MODE, ENTRY_CLASS, PARALLELISM, PASS_THROUGH,
            REST_ADDRESS, JAR, POLL_INTERVAL, TIMEOUT, K8S_OUTPUT_DIR, K8S_IMAGE, K8S_CONFIG_MAP, K8S_REGISTRY_SECRET,
            K8S_NAMESPACE, LEDGER);

    public enum Mode { LOCAL, FLINK_CLIENT, FLINK_REST, KUBERNETES }

    public enum Ledger { MEMORY, REGISTRY }

    public LauncherConfig {
        jobSettings = Map.copyOf(jobSettings);
    }

    public static LauncherConfig from(Settings settings) {
        Mode mode = MODE.value(settings);
        String entryClass = ENTRY_CLASS.value(settings);
        int parallelism = PARALLELISM.value(settings);
        Duration pollInterval = POLL_INTERVAL.value(settings);
        Duration timeout = TIMEOUT.value(settings);

        URI restAddress = null;
        String jar = null;
        String outputDir = null;
        KubernetesJobRunner.Pod pod = null;
        String namespace = null;
        switch (mode) {
            case LOCAL -> LocalJobRunner.entry(entryClass, ENTRY_CLASS.key());
            case FLINK_REST -> {
                restAddress = httpUri(REST_ADDRESS.value(settings));
                jar = jobJar(settings);
            }
            case FLINK_CLIENT -> {
                LocalJobRunner.entry(entryClass, ENTRY_CLASS.key());
                restAddress = httpUri(REST_ADDRESS.value(settings));
                Settings.require("http".equals(restAddress.getScheme()) && restAddress.getPort() != -1,
                        REST_ADDRESS.key(),
                        "flink-client needs http://host:port (Flink's client takes a host and a port; https would"
                                + " need its security.ssl.rest.* settings), got " + restAddress);
                jar = jobJar(settings);
            }
            case KUBERNETES -> {
                // the pod runs the same build as this launcher
                LocalJobRunner.entry(entryClass, ENTRY_CLASS.key());
                outputDir = K8S_OUTPUT_DIR.value(settings);
                pod = kubernetesPod(settings);
                namespace = K8S_NAMESPACE.find(settings).orElse(null);
            }
        }
        return new LauncherConfig(mode, entryClass, parallelism, jobSettings(settings), restAddress, jar,
                pollInterval, timeout, outputDir, pod, namespace,
                LEDGER.value(settings));
    }

    /** The template's container with the configured image, ConfigMap and Secret. */
    private static KubernetesJobRunner.Pod kubernetesPod(Settings settings) {
        KubernetesJobRunner.Pod template = KubernetesJobRunner.templatePod();
        return new KubernetesJobRunner.Pod(K8S_IMAGE.find(settings).orElse(template.image()),
                K8S_CONFIG_MAP.find(settings).orElse(template.configMap()),
                K8S_REGISTRY_SECRET.find(settings).orElse(template.registrySecret()));
    }

    /** A namespace is a DNS-1123 label (at most 63 characters), a ConfigMap's or Secret's name a subdomain. */
    private static boolean isKubernetesName(String name, boolean subdomain) {
        return name.length() <= (subdomain ? 253 : 63) && name.matches(subdomain ? DNS_SUBDOMAIN : DNS_LABEL);
    }

    private static String jobJar(Settings settings) {
        String jar = JAR.value(settings);
        Settings.require(Files.isRegularFile(Path.of(jar)), JAR.key(), "no such file: " + jar
                + " (build it with mvn package: jobs/target/imlma-jobs-<version>-job.jar)");
        return jar;
    }

    private static Map<String, String> jobSettings(Settings settings) {
        List<String> prefixes = Arrays.stream(PASS_THROUGH.value(settings).split(","))
                .map(String::trim).filter(p -> !p.isEmpty()).toList();
        Map<String, String> passed = new LinkedHashMap<>();
        settings.asMap().forEach((key, value) -> {
            if (prefixes.stream().anyMatch(key::startsWith) && settings.has(key)) {
                passed.put(key, value.trim());
            }
        });
        return passed;
    }

    private static URI httpUri(String raw) {
        try {
            URI uri = URI.create(raw);
            if ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new ConfigException(REST_ADDRESS.key(), "expected an http(s) address such as http://jobmanager:8081, got '"
                + raw + "'");
    }

    public RetrainJobSpec spec(RetrainRequest request) {
        return RetrainJobSpec.of(request, entryClass, jobSettings, parallelism);
    }

    /** The runner of this mode. */
    public JobRunner runner() {
        return switch (mode) {
            case LOCAL -> LocalJobRunner.local();
            case FLINK_CLIENT -> LocalJobRunner.onSessionCluster(restAddress, Path.of(jar));
            case FLINK_REST -> new FlinkRestJobRunner(restAddress, Path.of(jar), pollInterval, timeout);
            case KUBERNETES -> new KubernetesJobRunner(Path.of(k8sOutputDir), k8sNamespace, k8sPod);
        };
    }

    /** A launcher with the configured ledger. */
    public RetrainLauncher create() {
        return create(switch (ledger) {
            case MEMORY -> new InMemoryLaunchLedger();
            case REGISTRY -> JdbcLaunchLedger.open(new Settings(jobSettings));
        });
    }

    public RetrainLauncher create(LaunchLedger ledger) {
        return new IdempotentLauncher(runner(), ledger, this::spec, Clock.systemUTC());
    }
}
