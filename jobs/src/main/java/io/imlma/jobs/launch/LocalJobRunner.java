package io.imlma.jobs.launch;

import io.imlma.common.config.ConfigException;
import io.imlma.common.config.Settings;
import io.imlma.jobs.launch.LaunchOutcome.Status;
import java.net.URL;
import java.util.List;
import java.util.function.Supplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs the job in this process: a fresh environment per launch (by default {@link #inProcessEnvironment()}, a local
 * mini cluster, or the test's cluster when one is set as context) and the entry class's {@link BatchJobEntry#run}
 * with the spec's arguments.
 */
public final class LocalJobRunner implements JobRunner {
    public static final String MODE = "local";

    private final Supplier<StreamExecutionEnvironment> environments;

    public LocalJobRunner(Supplier<StreamExecutionEnvironment> environments) {
        this.environments = environments;
    }

    @Override
    public String mode() {
        return MODE;
    }

    @Override
    public LaunchOutcome run(RetrainJobSpec spec, long startedAt) throws Exception {
        BatchJobEntry entry = entry(spec.entryClass(), LauncherConfig.ENTRY_CLASS);
        StreamExecutionEnvironment env = environments.get();
        env.setParallelism(spec.parallelism());
        BatchJobResult result = entry.run(env, Settings.fromArgs(spec.programArgs().toArray(String[]::new)));
        long finishedAt = System.currentTimeMillis();
        return new LaunchOutcome(spec.requestId(), MODE, result.jobId(), Status.SUCCEEDED, startedAt, finishedAt,
                "finished in " + (finishedAt - startedAt) + " ms, results " + result.results(), result.results());
    }

    /**
     * {@link StreamExecutionEnvironment#getExecutionEnvironment()} given the jar this class came from when Flink's own
     * class loader cannot see it: inside a TaskManager the project's classes come from the streaming job's jar, and
     * the mini cluster started here needs that jar to load the batch job's classes.
     */
    public static StreamExecutionEnvironment inProcessEnvironment() {
        Configuration configuration = new Configuration();
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
