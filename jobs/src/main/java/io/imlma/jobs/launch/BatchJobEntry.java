package io.imlma.jobs.launch;

import io.imlma.common.config.Settings;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * What a batch job started by a {@link RetrainLauncher} implements, besides its {@code main}: build the pipeline on
 * the environment it is given and execute it. {@code main(args)} is then just
 * {@code new Job().run(StreamExecutionEnvironment.getExecutionEnvironment(), Settings.fromArgs(args))}, so the
 * cluster modes (REST, Kubernetes) run {@code main} with the spec's program arguments and the local and
 * flink-client modes call {@code run} in-process with the same arguments parsed into {@link Settings} (the
 * environment is a local one or a session cluster's). Implementations need a public no-argument constructor (those
 * modes instantiate the spec's entry class).
 *
 * <p>Small results (row counts, a model version) come back in the returned {@link BatchJobResult} in the local
 * and flink-client modes; the REST mode reads the job's accumulators from {@code /jobs/:jobid/accumulators}, so a single-execution
 * job should report them as accumulators too.
 */
public interface BatchJobEntry {
    BatchJobResult run(StreamExecutionEnvironment env, Settings settings) throws Exception;
}
