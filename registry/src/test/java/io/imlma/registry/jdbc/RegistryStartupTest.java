package io.imlma.registry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imlma.common.config.ConfigException;
import io.imlma.common.config.Settings;
import io.imlma.testkit.MariaDbDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad connection settings stop the registry at start with a message naming the setting to fix. */
class RegistryStartupTest {

    @Test
    void wrongPasswordNamesThePasswordSetting() {
        try (MariaDbDatabase db = MariaDbDatabase.create()) {
            Settings settings = settings(db.jdbcUrl(), db.user(), "not-the-password");

            assertThatThrownBy(() -> RegistryDataSource.open(settings)).isInstanceOfSatisfying(ConfigException.class,
                    e -> {
                        assertThat(e.setting()).isEqualTo(RegistryDataSource.PASSWORD.key());
                        assertThat(e.getMessage()).contains("access denied for user '" + db.user() + "'")
                                .contains(RegistryDataSource.USER.key());
                    });
        }
    }

    @Test
    void unknownDatabaseNamesTheUrlSetting() {
        try (MariaDbDatabase db = MariaDbDatabase.create()) {
            String url = "jdbc:mysql://" + db.host() + ":" + db.port() + "/" + db.name() + "_missing";

            assertThatThrownBy(() -> RegistryDataSource.open(settings(url, db.user(), db.password())))
                    .isInstanceOfSatisfying(ConfigException.class, e -> {
                        assertThat(e.setting()).isEqualTo(RegistryDataSource.JDBC_URL.key());
                        assertThat(e.getMessage()).contains(url).contains("does not exist");
                    });
        }
    }

    @Test
    void serverNotListeningNamesTheUrlSetting() throws IOException {
        String url = "jdbc:mysql://127.0.0.1:" + closedPort() + "/registry";

        assertThatThrownBy(() -> RegistryDataSource.open(settings(url, "root", "")))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.setting()).isEqualTo(RegistryDataSource.JDBC_URL.key());
                    assertThat(e.getMessage()).contains(url).contains("cannot connect");
                });
    }

    @Test
    void unsupportedUrlNamesTheUrlSetting() {
        assertThatThrownBy(() -> RegistryDataSource.open(settings("jdbc:postgresql://localhost/registry", "u", "")))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.setting()).isEqualTo(RegistryDataSource.JDBC_URL.key()));
        assertThatThrownBy(() -> RegistryDataSource.open(new Settings(Map.of(
                        RegistryDataSource.JDBC_URL.key(), "jdbc:mysql://127.0.0.1/registry"))))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.setting()).isEqualTo(RegistryDataSource.USER.key()));
    }

    @Test
    void wrongPasswordOnEmbeddedH2NamesThePasswordSetting(@TempDir Path dir) {
        String url = RegistryDataSource.h2File(dir.resolve("registry"));
        RegistryDataSource.open(settings(url, "sa", "secret")).close();

        assertThatThrownBy(() -> RegistryDataSource.open(settings(url, "sa", "guess")))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.setting()).isEqualTo(RegistryDataSource.PASSWORD.key()));
        RegistryDataSource.open(settings(url, "sa", "secret")).close();
    }

    private static Settings settings(String url, String user, String password) {
        return new Settings(Map.of(RegistryDataSource.JDBC_URL.key(), url, RegistryDataSource.USER.key(), user,
                RegistryDataSource.PASSWORD.key(), password));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
