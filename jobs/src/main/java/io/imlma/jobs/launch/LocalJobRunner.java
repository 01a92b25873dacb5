package io.imlma.jobs.launch;

import io.imlma.common.config.ConfigException;
import io.imlma.common.config.Settings;
import io.imlma.jobs.launch.LaunchOutcome.Status;
import java.util.function.Supplier;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs the job in this process: a fresh environment per launch (by default
 * {@link StreamExecutionEnvironment#getExecutionEnvironment()}, a local mini cluster, or the test's cluster when one
 * is set as context) and the entry class's {@link BatchJobEntry#run} with the spec's arguments.
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
