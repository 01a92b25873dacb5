package io.imlma.jobs.cluster;

import io.imlma.testkit.MariaDbDatabase;
import io.imlma.testkit.StandaloneFlinkCluster;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A standalone Flink cluster with one TaskManager and a MariaDB database for the streaming job's registry (real
 * MySQL, shared by the JobManager and TaskManager processes), started before a test class and closed after it.
 */
final class ClusterWithRegistry implements BeforeAllCallback, AfterAllCallback {
    private final Map<String, String> overrides;
    private StandaloneFlinkCluster cluster;
    private MariaDbDatabase registry;

    /** @param overrides Flink settings on top of the project's flink-conf */
    ClusterWithRegistry(Map<String, String> overrides) {
        this.overrides = overrides;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        registry = MariaDbDatabase.create();
        cluster = StandaloneFlinkCluster.start(1, overrides);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null) {
            cluster.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    StandaloneFlinkCluster cluster() {
        return cluster;
    }

    MariaDbDatabase registry() {
        return registry;
    }
}
