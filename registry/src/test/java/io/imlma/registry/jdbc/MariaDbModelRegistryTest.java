package io.imlma.registry.jdbc;

import io.imlma.common.config.Settings;
import io.imlma.testkit.MariaDbDatabase;
import java.util.Map;

/** The registry contract on the machine's MariaDB/MySQL server, one fresh database per test. */
class MariaDbModelRegistryTest extends ModelRegistryContractTest {
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
