package io.imlma.api;

import io.imlma.common.config.Settings;
import io.imlma.registry.jdbc.RegistryDataSource;
import io.imlma.testkit.MariaDbDatabase;
import java.util.Map;

/** The API contract on the machine's MariaDB/MySQL server, one fresh database per test. */
class MariaDbApiTest extends ApiContractTest {
    private MariaDbDatabase database;

    @Override
    protected Settings createDatabase() {
        database = MariaDbDatabase.create();
        return new Settings(Map.of(
                RegistryDataSource.JDBC_URL.key(), database.jdbcUrl(),
                RegistryDataSource.USER.key(), database.user(),
                RegistryDataSource.PASSWORD.key(), database.password()));
    }

    @Override
    protected void dropDatabase() {
        database.close();
    }
}
