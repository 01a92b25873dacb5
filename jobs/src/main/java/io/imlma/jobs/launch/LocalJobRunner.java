package io.imlma.jobs.launch;

import io.imlma.common.config.ConfigException;
import io.imlma.common.config.Settings;
import io.imlma.jobs.launch.LaunchOutcome.Status;
import java.net.InetAddress;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs the job's driver in this process: a fresh environment per launch and the entry class's
 * {@link BatchJobEntry#run} with the spec's arguments. Where the Flink jobs of that driver run is the
 * environment's business: in {@link #local} mode on {@link #inProcessEnvironment()} (a local mini cluster, or the
 * test's cluster when one is set as context); in {@link #onSessionCluster} mode
 * ({@value #FLINK_CLIENT_MODE}) on a session cluster, as an attached {@code flink run} does, so a program that runs
 * several jobs and collects their results (RetrainJob: one job per tuning round) runs there too, which the detached
 * {@code /jars/:jarid/run} of {@link FlinkRestJobRunner} cannot.
 */
public final class LocalJobRunner implements JobRunner {
    public static final String MODE = "local";
    public static final String FLINK_CLIENT_MODE = "flink-client";

    private final String mode;
    private final Supplier<StreamExecutionEnvironment> environments;

    private LocalJobRunner(String mode, Supplier<StreamExecutionEnvironment> environments) {
        this.mode = mode;
        this.environments = environments;
    }

    /** Network memory of each retraining's mini cluster. */
    static final MemorySize RETRAINING_NETWORK_MEMORY = MemorySize.ofMebiBytes(16);

    /** The jobs run on {@link #inProcessEnvironment()}. */
    static LocalJobRunner local() {
        return new LocalJobRunner(MODE, LocalJobRunner::inProcessEnvironment);
    }

    /**
     * {@link StreamExecutionEnvironment#getExecutionEnvironment()} on loopback, given the jar this class came from when Flink's own
     * class loader cannot see it: inside a TaskManager the project's classes come from the streaming job's jar, and
     * the mini cluster started here needs that jar to load the batch job's classes.
     */
    static StreamExecutionEnvironment inProcessEnvironment() {
        Configuration configuration = new Configuration();
        // the per-launch mini cluster serves only this process: its RPC, blob and data ports stay on loopback
        String loopback = InetAddress.getLoopbackAddress().getHostAddress();
        configuration.set(JobManagerOptions.BIND_HOST, loopback);
        configuration.set(TaskManagerOptions.BIND_HOST, loopback);
        configuration.set(TaskManagerOptions.HOST, loopback);
        // its network buffers are direct memory of the process that launches, a TaskManager's framework off-heap
        // budget: the local default of 64 MB per retraining failed the third one in a TaskManager ("Could not
        // allocate enough memory segments for NetworkBufferPool"); a retraining's chained trial tasks need few
        configuration.set(TaskManagerOptions.NETWORK_MEMORY_MIN, RETRAINING_NETWORK_MEMORY);
        configuration.set(TaskManagerOptions.NETWORK_MEMORY_MAX, RETRAINING_NETWORK_MEMORY);
        if (!visibleToFlink(LocalJobRunner.class)) {
            URL jar = LocalJobRunner.class.getProtectionDomain().getCodeSource().getLocation();
            configuration.set(PipelineOptions.JARS, List.of(jar.toString()));
        }
        return StreamExecutionEnvironment.getExecutionEnvironment(configuration);
    }

    private static boolean visibleToFlink(Class<?> type) {
        try {
            return Class.forName(type.getName(), false, StreamExecutionEnvironment.class.getClassLoader()) == type;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * Every {@code execute()} is submitted to the session cluster behind {@code restAddress} and awaited, with
     * {@code jar} (the shaded job jar, the same build as this process's classes) shipped for the user code.
     */
    static LocalJobRunner onSessionCluster(URI restAddress, Path jar) {
        String jarFile = jar.toAbsolutePath().toString();
        return new LocalJobRunner(FLINK_CLIENT_MODE, () -> StreamExecutionEnvironment.createRemoteEnvironment(
                restAddress.getHost(), restAddress.getPort(), new Configuration(), jarFile));
    }

    @Override
    public String mode() {
        return mode;
    }

    @Override
    public LaunchOutcome run(RetrainJobSpec spec, long startedAt) throws Exception {
        BatchJobEntry entry = entry(spec.entryClass(), LauncherConfig.ENTRY_CLASS.key());
        StreamExecutionEnvironment env = environments.get();
        env.setParallelism(spec.parallelism());
        BatchJobResult result = entry.run(env, Settings.fromArgs(spec.programArgs().toArray(String[]::new)));
        long finishedAt = System.currentTimeMillis();
        return new LaunchOutcome(spec.requestId(), mode, result.jobId(), Status.SUCCEEDED, startedAt, finishedAt,
                "finished in " + (finishedAt - startedAt) + " ms, results " + result.results(), result.results());
    }

    /** Instantiates a {@link BatchJobEntry} by class name; {@code setting} names where the name came from. */
    static BatchJobEntry entry(String className, String setting) {
        Class<?> type;
        try {
            type = Class.forName(className, true, classLoader());
        } catch (ClassNotFoundException e) {
            throw new ConfigException(setting, "class not found: " + className);
        }
        if (!BatchJobEntry.class.isAssignableFrom(type)) {
            throw new ConfigException(setting, className + " does not implement " + BatchJobEntry.class.getName());
        }
        try {
            return type.asSubclass(BatchJobEntry.class).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new ConfigException(setting, className + " needs a public no-argument constructor: " + e);
        }
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : LocalJobRunner.class.getClassLoader();
    }
}
