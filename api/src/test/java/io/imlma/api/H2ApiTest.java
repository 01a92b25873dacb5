package io.imlma.api;

import io.imlma.common.config.Settings;
import io.imlma.registry.jdbc.RegistryDataSource;
import java.util.Map;
import java.util.UUID;

/** The API contract on an embedded H2 registry (MySQL mode), one in-memory database per test. */
class H2ApiTest extends ApiContractTest {

    @Override
    protected Settings createDatabase() {
        return new Settings(Map.of(RegistryDataSource.JDBC_URL.key(),
                RegistryDataSource.h2InMemory("api-" + UUID.randomUUID())));
    }

    @Override
    protected void dropDatabase() {
        // the in-memory database disappears with the last connection
    }
}
