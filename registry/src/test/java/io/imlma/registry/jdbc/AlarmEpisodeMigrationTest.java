package io.imlma.registry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.imlma.common.config.Settings;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.Severity;
import io.imlma.registry.AlarmEpisode;
import io.imlma.registry.AlarmStatus;
import io.imlma.testkit.MariaDbDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Alarms stored before episodes were kept (schema V2) become episodes on migration: a raise is active and notified
 * at its raise, an INFO row (a clear that arrived first) is resolved. On both databases the registry supports.
 */
class AlarmEpisodeMigrationTest {
    private static final long RAISED = Instant.parse("2024-01-02T00:00:00Z").toEpochMilli();
    private static final long CLEARED = RAISED + 3_600_000L;

    @Test
    void v2AlarmsBecomeEpisodesOnH2() throws SQLException {
        migrateV2AlarmsToEpisodes(new Settings(Map.of(RegistryDataSource.JDBC_URL.key(),
                RegistryDataSource.h2InMemory("migration-" + UUID.randomUUID()) + ";DB_CLOSE_DELAY=-1")));
    }

    @Test
    void v2AlarmsBecomeEpisodesOnMariaDb() throws SQLException {
        try (MariaDbDatabase database = MariaDbDatabase.create()) {
            migrateV2AlarmsToEpisodes(new Settings(Map.of(RegistryDataSource.JDBC_URL.key(), database.jdbcUrl(),
                    RegistryDataSource.USER.key(), database.user(), RegistryDataSource.PASSWORD.key(), database.password())));
        }
    }

    private static void migrateV2AlarmsToEpisodes(Settings settings) throws SQLException {
        String url = settings.string(RegistryDataSource.JDBC_URL.key(), null);
        Flyway.configure().dataSource(url, settings.string(RegistryDataSource.USER.key(), "sa"),
                        settings.string(RegistryDataSource.PASSWORD.key(), ""))
                .locations("classpath:db/migration").target("2").load().migrate();
        try (Connection c = DriverManager.getConnection(url, settings.string(RegistryDataSource.USER.key(), "sa"),
                settings.string(RegistryDataSource.PASSWORD.key(), ""));
                Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO alarms VALUES ('raise', 'DRIFT', 'WARNING', 'm1', 2, 0.4, 0.2, " + RAISED
                    + ", 'drift on m1', 0)");
            s.executeUpdate("INSERT INTO alarms VALUES ('clear', 'LATENCY', 'INFO', NULL, 2, 100, 500, " + CLEARED
                    + ", 'resolved: latency back to normal', 0)");
        }

        HikariDataSource dataSource = RegistryDataSource.open(settings);
        try (JdbcModelRegistry registry = new JdbcModelRegistry(dataSource, Duration.ZERO, (path, sha) -> { },
                Clock.systemUTC())) {
            List<AlarmEpisode> episodes = registry.alarms(Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"), 10);
            assertThat(episodes).containsExactly(
                    new AlarmEpisode("raise", AlarmType.DRIFT, Severity.WARNING, "m1", 2, 0.4, 0.2, RAISED,
                            "drift on m1", RAISED, 0.4, null, null),
                    new AlarmEpisode("clear", AlarmType.LATENCY, Severity.INFO, null, 2, 100, 500, CLEARED,
                            "resolved: latency back to normal", null, null, CLEARED, "resolved: latency back to normal"));
            assertThat(episodes).extracting(AlarmEpisode::status).containsExactly(AlarmStatus.ACTIVE, AlarmStatus.RESOLVED);
        }
    }
}
