package io.imlma.registry.jdbc;

import io.imlma.common.config.Settings;
import java.util.Map;
import java.util.UUID;

/** The registry contract on embedded H2 in MySQL mode, one in-memory database per test. */
class H2ModelRegistryTest extends ModelRegistryContractTest {

    @Override
    protected Settings createDatabase() {
        return new Settings(Map.of(RegistryDataSource.JDBC_URL.key(),
                RegistryDataSource.h2InMemory("registry-" + UUID.randomUUID())));
    }

    @Override
    protected void dropDatabase() {
        // an in-memory H2 database disappears with the pool's last connection
    }
}
