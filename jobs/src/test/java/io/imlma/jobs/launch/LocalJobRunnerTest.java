package io.imlma.jobs.launch;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** A retraining's mini cluster takes little of the launching TaskManager's direct memory. */
class LocalJobRunnerTest {

    @Test
    void theRetrainingsMiniClusterHasASmallNetworkBufferPool() {
        StreamExecutionEnvironment env = LocalJobRunner.inProcessEnvironment();
        assertThat(env.getConfiguration().get(TaskManagerOptions.NETWORK_MEMORY_MAX))
                .isEqualTo(env.getConfiguration().get(TaskManagerOptions.NETWORK_MEMORY_MIN))
                .isLessThan(MemorySize.ofMebiBytes(64));
    }
}
