package io.imlma.registry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariDataSource;
import io.imlma.common.config.Settings;
import io.imlma.testkit.FreePorts;
import io.imlma.testkit.MariaDbDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The one duplicate-key rule against real errors of both databases the registry runs on: a second row with a
 * taken key is a duplicate; a NULL in a NOT NULL column or a missing foreign key, integrity violations of the same
 * SQLState class 23, are not.
 */
class SqlErrorsTest {

    @Test
    void recognizesDuplicateKeysOnH2() throws SQLException {
        recognizesDuplicateKeys(new Settings(Map.of(RegistryDataSource.JDBC_URL.key(),
                RegistryDataSource.h2InMemory("errors-" + UUID.randomUUID()))));
    }

    @Test
    void recognizesDuplicateKeysOnMariaDb() throws SQLException {
        try (MariaDbDatabase database = MariaDbDatabase.create()) {
            recognizesDuplicateKeys(new Settings(Map.of(RegistryDataSource.JDBC_URL.key(), database.jdbcUrl(),
                    RegistryDataSource.USER.key(), database.user(), RegistryDataSource.PASSWORD.key(), database.password())));
        }
    }

    @Test
    void aServerThatCannotBeReachedIsALostConnectionOnBothDatabases() {
        int nothingListens = FreePorts.allocate();
        for (String url : new String[] {"jdbc:mariadb://127.0.0.1:" + nothingListens + "/registry",
                RegistryDataSource.h2("tcp://127.0.0.1:" + nothingListens + "/registry")}) {
            SQLException refused = catchThrowableOfType(() -> DriverManager.getConnection(url, "root", ""),
                    SQLException.class);
            assertThat(SqlErrors.isConnectionLost(refused)).as("%s: %s", url, refused).isTrue();
            assertThat(SqlErrors.isTransient(refused)).as("not a deadlock: %s", refused).isFalse();
        }
    }

    private static void recognizesDuplicateKeys(Settings settings) throws SQLException {
        try (HikariDataSource dataSource = RegistryDataSource.open(settings);
                Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO models (name, created_at_ms) VALUES ('load', 1)");

            SQLException duplicate = failure(s, "INSERT INTO models (name, created_at_ms) VALUES ('load', 2)");
            SQLException nullValue = failure(s, "INSERT INTO models (name, created_at_ms) VALUES ('oil', NULL)");
            SQLException noSuchModel = failure(s, "INSERT INTO model_versions (model_name, version, created_at_ms,"
                    + " trainer, hyperparameters, mse, mae, r2, artifact_path, artifact_sha256, status,"
                    + " decision_reasons, status_changed_at_ms) VALUES ('unknown', 1, 1, 't', '{}', 0, 0, 0, 'p', '"
                    + "a".repeat(64) + "', 'CANDIDATE', '[]', 1)");

            assertThat(SqlErrors.isDuplicateKey(duplicate)).as(describe(duplicate)).isTrue();
            assertThat(SqlErrors.isConnectionLost(duplicate)).as(describe(duplicate)).isFalse();
            assertThat(SqlErrors.isDuplicateKey(nullValue)).as(describe(nullValue)).isFalse();
            assertThat(SqlErrors.isDuplicateKey(noSuchModel)).as(describe(noSuchModel)).isFalse();
            assertThat(nullValue.getSQLState()).as("the rule SQLState class 23 would take it for a duplicate")
                    .startsWith("23");
            assertThat(noSuchModel.getSQLState()).startsWith("23");
        }
    }

    private static SQLException failure(Statement s, String sql) {
        return catchThrowableOfType(SQLException.class, () -> s.executeUpdate(sql));
    }

    private static String describe(SQLException e) {
        return "SQLState " + e.getSQLState() + ", error " + e.getErrorCode() + ": " + e.getMessage();
    }
}
