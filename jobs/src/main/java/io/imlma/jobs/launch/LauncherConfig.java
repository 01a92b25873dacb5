package io.imlma.jobs.launch;

import io.imlma.common.config.ConfigException;
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
 * <table>
 * <caption>settings</caption>
 * <tr><td>{@value #MODE}</td><td>{@code local} (default; the job and its Flink jobs in this process),
 *     {@code flink-client} (the job's driver in this process, each of its Flink jobs on a session cluster, like an
 *     attached {@code flink run}: for jobs that execute several times, such as RetrainJob), {@code flink-rest} (the
 *     whole program on the cluster through {@code /jars/:jarid/run}: jobs that execute once) or
 *     {@code kubernetes} (a Kubernetes Job per request that runs the job in its pod's JVM, like {@code local}:
 *     {@link KubernetesJobRunner})</td></tr>
 * <tr><td>{@value #ENTRY_CLASS}</td><td>the batch job, a {@link BatchJobEntry}; default {@value #DEFAULT_ENTRY}</td></tr>
 * <tr><td>{@value #PARALLELISM}</td><td>parallelism of the batch job, default 2 (kubernetes: the pod's local
 *     environment has one slot per CPU the JVM sees)</td></tr>
 * <tr><td>{@value #PASS_THROUGH}</td><td>comma-separated prefixes of the settings handed to the job as
 *     {@code --key=value}; default {@value #DEFAULT_PASS_THROUGH}</td></tr>
 * <tr><td>{@value #REST_ADDRESS}</td><td>flink-rest, flink-client: the session cluster's REST address, e.g.
 *     http://jm:8081 (flink-client: http with a port)</td></tr>
 * <tr><td>{@value #JAR}</td><td>flink-rest: path of the shaded job jar to upload; flink-client: path of the shaded
 *     job jar shipped with every Flink job (the same build as the launcher's classes)</td></tr>
 * <tr><td>{@value #POLL_INTERVAL} / {@value #TIMEOUT}</td><td>flink-rest: job state polling, default 2s / 6h</td></tr>
 * <tr><td>{@value #K8S_OUTPUT_DIR}</td><td>kubernetes: directory the Job files are written to</td></tr>
 * <tr><td>{@value #K8S_IMAGE}</td><td>kubernetes: the image with the job jar; default k8s/retrain-job.yaml's
 *     ({@code imlma/flink:0.1.0})</td></tr>
 * <tr><td>{@value #K8S_CONFIG_MAP}</td><td>kubernetes: the ConfigMap with the programs' {@code imlma.properties};
 *     default k8s/retrain-job.yaml's ({@code imlma-job-config})</td></tr>
 * <tr><td>{@value #K8S_REGISTRY_SECRET}</td><td>kubernetes: the Secret with the registry's {@code user} and
 *     {@code password}; default k8s/retrain-job.yaml's ({@code imlma-registry-credentials})</td></tr>
 * <tr><td>{@value #K8S_NAMESPACE}</td><td>kubernetes: namespace of the Jobs (optional)</td></tr>
 * <tr><td>{@value #LEDGER}</td><td>where launches are recorded: {@code memory} (default; one process) or
 *     {@code registry} (the registry database named by the passed-through {@code registry.*} settings, so a
 *     request replayed after a restart starts nothing)</td></tr>
 * </table>
 */
public record LauncherConfig(Mode mode, String entryClass, int parallelism, Map<String, String> jobSettings,
        URI restAddress, String jar, Duration pollInterval, Duration timeout, String k8sOutputDir,
        KubernetesJobRunner.Pod k8sPod, String k8sNamespace, Ledger ledger) implements Serializable {

    public static final String MODE = "launcher.mode";
    public static final String ENTRY_CLASS = "launcher.entry-class";
    public static final String PARALLELISM = "launcher.parallelism";
    public static final String PASS_THROUGH = "launcher.pass-through";
    public static final String REST_ADDRESS = "launcher.rest-address";
    public static final String JAR = "launcher.jar";
    public static final String POLL_INTERVAL = "launcher.poll-interval";
    public static final String TIMEOUT = "launcher.timeout";
    public static final String K8S_OUTPUT_DIR = "launcher.k8s.output-dir";
    public static final String K8S_IMAGE = "launcher.k8s.image";
    public static final String K8S_CONFIG_MAP = "launcher.k8s.config-map";
    public static final String K8S_REGISTRY_SECRET = "launcher.k8s.registry-secret";
    public static final String K8S_NAMESPACE = "launcher.k8s.namespace";
    public static final String LEDGER = "launcher.ledger";
    /** The retraining job; {@code io.imlma.jobs.VerifySnapshotJob} only verifies and reads the range. */
    public static final String DEFAULT_ENTRY = "io.imlma.jobs.RetrainJob";
    /**
     * What RetrainJob reads besides the request: storage, registry, and the training, tuning, feature and policy
     * settings (serving and training must agree on the features).
     */
    public static final String DEFAULT_PASS_THROUGH =
            "snapshot.,registry.,model.,training.,tuning.,features.,replacement.";

    /** Kubernetes' names: DNS-1123 labels and subdomains. */
    private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String DNS_SUBDOMAIN = DNS_LABEL + "(\\." + DNS_LABEL + ")*";

    public enum Mode { LOCAL, FLINK_CLIENT, FLINK_REST, KUBERNETES }

    public enum Ledger { MEMORY, REGISTRY }

    public LauncherConfig {
        jobSettings = Map.copyOf(jobSettings);
    }

    public static LauncherConfig from(Settings settings) {
        Mode mode = settings.enumValue(MODE, Mode.class, Mode.LOCAL);
        String entryClass = settings.string(ENTRY_CLASS, DEFAULT_ENTRY);
        int parallelism = settings.integer(PARALLELISM, 2);
        Settings.require(parallelism >= 1, PARALLELISM, "must be at least 1, got " + parallelism);
        Duration pollInterval = settings.duration(POLL_INTERVAL, Duration.ofSeconds(2));
        Settings.require(!pollInterval.isNegative() && !pollInterval.isZero(), POLL_INTERVAL, "must be positive");
        Duration timeout = settings.duration(TIMEOUT, Duration.ofHours(6));
        Settings.require(!timeout.isNegative() && !timeout.isZero(), TIMEOUT, "must be positive");

        URI restAddress = null;
        String jar = null;
        String outputDir = null;
        KubernetesJobRunner.Pod pod = null;
        String namespace = null;
        switch (mode) {
            case LOCAL -> LocalJobRunner.entry(entryClass, ENTRY_CLASS);
            case FLINK_REST -> {
                restAddress = httpUri(settings.string(REST_ADDRESS));
                jar = jobJar(settings);
            }
            case FLINK_CLIENT -> {
                LocalJobRunner.entry(entryClass, ENTRY_CLASS);
                restAddress = httpUri(settings.string(REST_ADDRESS));
                Settings.require("http".equals(restAddress.getScheme()) && restAddress.getPort() != -1, REST_ADDRESS,
                        "flink-client needs http://host:port (Flink's client takes a host and a port; https would"
                                + " need its security.ssl.rest.* settings), got " + restAddress);
                jar = jobJar(settings);
            }
            case KUBERNETES -> {
                LocalJobRunner.entry(entryClass, ENTRY_CLASS); // the pod runs the same build as this launcher
                outputDir = settings.string(K8S_OUTPUT_DIR);
                pod = kubernetesPod(settings);
                namespace = settings.has(K8S_NAMESPACE)
                        ? kubernetesName(settings.string(K8S_NAMESPACE), K8S_NAMESPACE, false) : null;
            }
        }
        return new LauncherConfig(mode, entryClass, parallelism, jobSettings(settings), restAddress, jar,
                pollInterval, timeout, outputDir, pod, namespace,
                settings.enumValue(LEDGER, Ledger.class, Ledger.MEMORY));
    }

    /** The template's container with the configured image, ConfigMap and Secret. */
    private static KubernetesJobRunner.Pod kubernetesPod(Settings settings) {
        KubernetesJobRunner.Pod template = KubernetesJobRunner.templatePod();
        String image = settings.string(K8S_IMAGE, template.image());
        Settings.require(image.matches("[A-Za-z0-9][A-Za-z0-9._/:@-]*"), K8S_IMAGE,
                "must be an image reference such as registry.example.org/imlma/flink:0.1.0, got '" + image + "'");
        return new KubernetesJobRunner.Pod(image,
                kubernetesName(settings.string(K8S_CONFIG_MAP, template.configMap()), K8S_CONFIG_MAP, true),
                kubernetesName(settings.string(K8S_REGISTRY_SECRET, template.registrySecret()), K8S_REGISTRY_SECRET,
                        true));
    }

    /** A namespace is a DNS-1123 label (at most 63 characters), a ConfigMap's or Secret's name a subdomain. */
    private static String kubernetesName(String name, String setting, boolean subdomain) {
        int maxLength = subdomain ? 253 : 63;
        Settings.require(name.length() <= maxLength && name.matches(subdomain ? DNS_SUBDOMAIN : DNS_LABEL), setting,
                "must be a Kubernetes name of at most " + maxLength + " lower-case letters, digits"
                        + (subdomain ? ", '.'" : "") + " and '-', got '" + name + "'");
        return name;
    }

    private static String jobJar(Settings settings) {
        String jar = settings.string(JAR);
        Settings.require(Files.isRegularFile(Path.of(jar)), JAR, "no such file: " + jar
                + " (build it with mvn package: jobs/target/imlma-jobs-<version>-job.jar)");
        return jar;
    }

    private static Map<String, String> jobSettings(Settings settings) {
        List<String> prefixes = Arrays.stream(settings.string(PASS_THROUGH, DEFAULT_PASS_THROUGH).split(","))
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
        throw new ConfigException(REST_ADDRESS, "expected an http(s) address such as http://jobmanager:8081, got '"
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
