package io.imlma.registry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.imlma.common.config.Settings;
import io.imlma.registry.ModelVersion;
import io.imlma.registry.VersionMetrics;
import io.imlma.testkit.MariaDbDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Versions stored before the champion was kept with its metrics on the candidate's test rows (schema V3) still
 * read after the migration: with their own metrics and ΔM against the previous version, the champion they were
 * registered under, and no ΔM against it, since the one stored compared metrics on different test windows.
 */
class ChampionMetricsMigrationTest {
    private static final String MODEL = "load-forecast";

    @Test
    void v3VersionsReadAsNotMeasuredOnTheSameRowsOnH2() throws SQLException {
        migrateV3Versions(new Settings(Map.of(RegistryDataSource.JDBC_URL.key(),
                RegistryDataSource.h2InMemory("migration-" + UUID.randomUUID()) + ";DB_CLOSE_DELAY=-1")));
    }

    @Test
    void v3VersionsReadAsNotMeasuredOnTheSameRowsOnMariaDb() throws SQLException {
        try (MariaDbDatabase database = MariaDbDatabase.create()) {
            migrateV3Versions(new Settings(Map.of(RegistryDataSource.JDBC_URL.key(), database.jdbcUrl(),
                    RegistryDataSource.USER.key(), database.user(), RegistryDataSource.PASSWORD.key(), database.password())));
        }
    }

    private static void migrateV3Versions(Settings settings) throws SQLException {
        String url = settings.string(RegistryDataSource.JDBC_URL.key(), null);
        String user = settings.string(RegistryDataSource.USER.key(), "sa");
        String password = settings.string(RegistryDataSource.PASSWORD.key(), "");
        Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration").target("3").load()
                .migrate();
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO models (name, created_at_ms) VALUES ('" + MODEL + "', 0)");
            s.executeUpdate(insertV3Version(1, "'CHAMPION'", "'" + MODEL + "'", 0.04, 0.16, "NULL, NULL, NULL, NULL",
                    "NULL, NULL, NULL, NULL"));
            // ΔM against the champion as V3 computed it: v2's MAE on its window against v1's on another
            s.executeUpdate(insertV3Version(2, "'REJECTED'", "NULL", 0.03, 0.12, "1, -0.25, -0.25, 0.0625",
                    "1, -0.25, -0.25, 0.0625"));
        }

        HikariDataSource dataSource = RegistryDataSource.open(settings);
        try (JdbcModelRegistry registry = new JdbcModelRegistry(dataSource, Duration.ZERO, (path, sha) -> { },
                Clock.systemUTC())) {
            List<ModelVersion> versions = registry.versions(MODEL);
            assertThat(versions).extracting(ModelVersion::version).containsExactly(1, 2);
            ModelVersion v2 = versions.get(1);
            assertThat(v2.metrics()).isEqualTo(new VersionMetrics(0.03, 0.12, 0.85));
            assertThat(v2.deltaVsPrevious().baseVersion()).isEqualTo(1);
            assertThat(v2.deltaVsPrevious().mae()).isEqualTo(-0.25);
            assertThat(v2.championAtRegistration()).isEqualTo(1);
            assertThat(v2.championMetrics()).isNull();
            assertThat(v2.testRows()).isNull();
            assertThat(v2.deltaVsChampion()).isNull();
            assertThat(versions.get(0).championAtRegistration()).isNull();
        }
    }

    private static String insertV3Version(int version, String status, String championOf, double mse, double mae,
            String previous, String champion) {
        return "INSERT INTO model_versions (model_name, version, created_at_ms, trainer, hyperparameters, mse, mae,"
                + " r2, previous_version, delta_prev_mse, delta_prev_mae, delta_prev_r2, champion_at_registration,"
                + " delta_champion_mse, delta_champion_mae, delta_champion_r2, artifact_path, artifact_sha256,"
                + " status, champion_of, decision_reasons, status_changed_at_ms) VALUES ('" + MODEL + "', " + version
                + ", 0, 'linear', '{}', " + mse + ", " + mae + ", 0.85, " + previous + ", " + champion + ", 'm/v"
                + version + ".json', '" + "a".repeat(64) + "', " + status + ", " + championOf + ", '[]', 0)";
    }
}
