package io.imlma.registry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.imlma.common.config.Settings;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.Severity;
import io.imlma.registry.AlarmEpisode;
import io.imlma.registry.VersionMetrics;
import io.imlma.registry.ModelVersion;
import io.imlma.registry.NewVersion;
import io.imlma.registry.RegistryException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool works again after the database server went away and came back, and a write that is safe to repeat (an
 * alarm event) waits the outage out instead of failing. The server here is H2's TCP server, which the test can stop
 * and restart; the shared MariaDB of the machine is not restarted by tests.
 */
class RegistryReconnectTest {
    private static final String MODEL = "load-forecast";

    @Test
    void registryRecoversWhenTheDatabaseServerRestarts(@TempDir Path dir) throws Exception {
        try (H2Server server = new H2Server(dir);
                JdbcModelRegistry registry = JdbcModelRegistry.open(server.settings("0s"), (path, sha256) -> {})) {
            registry.register(version());

            server.stop();
            assertThatThrownBy(() -> registry.versions(MODEL)).isInstanceOf(RegistryException.class);

            server.start();
            List<ModelVersion> versions = firstSuccess(() -> registry.versions(MODEL), Duration.ofSeconds(60));
            assertThat(versions).extracting(ModelVersion::version).containsExactly(1);
            assertThat(registry.register(version()).version()).isEqualTo(2);
        }
    }

    @Test
    void anAlarmRecordedWhileTheDatabaseServerIsDownIsWrittenOnceItIsBack(@TempDir Path dir) throws Exception {
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (H2Server server = new H2Server(dir);
                JdbcModelRegistry registry = JdbcModelRegistry.open(server.settings("30s"), (path, sha256) -> {})) {
            registry.recordAlarm(alarm("before"));
            server.stop();
            // a write that is not safe to repeat fails at once, as before
            assertThatThrownBy(() -> registry.register(version())).isInstanceOf(RegistryException.class);

            Future<Boolean> during = writer.submit(() -> registry.recordAlarm(alarm("during")));
            await("the alarm write waiting for the database").during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(3)).until(() -> !during.isDone());
            server.start();
            assertThat(during.get(30, TimeUnit.SECONDS)).as("recorded once the server is back").isTrue();
            assertThat(registry.alarms(Instant.EPOCH, Instant.now().plusSeconds(60), 10))
                    .extracting(AlarmEpisode::alarmId).containsExactlyInAnyOrder("before", "during");
        } finally {
            writer.shutdownNow();
        }
    }

    @Test
    void withoutPatienceAnAlarmWriteFailsAtOnce(@TempDir Path dir) throws Exception {
        try (H2Server server = new H2Server(dir);
                JdbcModelRegistry registry = JdbcModelRegistry.open(server.settings("0s"), (path, sha256) -> {})) {
            server.stop();
            assertThatThrownBy(() -> registry.recordAlarm(alarm("lost"))).isInstanceOf(RegistryException.class)
                    .hasMessageContaining("record alarm lost");
        }
    }

    /** H2's TCP server on a free port over {@code dir}, which a test can stop and start again. */
    private static final class H2Server implements AutoCloseable {
        private final String[] args;
        private final int port;
        private Server server;

        H2Server(Path dir) throws Exception {
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            args = new String[] {"-tcpPort", String.valueOf(port), "-baseDir", dir.toString(), "-ifNotExists"};
            start();
        }

        void start() throws Exception {
            server = Server.createTcpServer(args).start();
        }

        void stop() {
            server.stop();
        }

        /** A registry on this server, whose repeatable writes wait out an outage for {@code outagePatience}. */
        Settings settings(String outagePatience) {
            return new Settings(Map.of(
                    RegistryDataSource.JDBC_URL.key(), RegistryDataSource.h2("tcp://127.0.0.1:" + port + "/registry"),
                    RegistryDataSource.CONNECTION_TIMEOUT.key(), "4s",
                    RegistryDataSource.OUTAGE_PATIENCE.key(), outagePatience));
        }

        @Override
        public void close() {
            server.stop();
        }
    }

    private static Alarm alarm(String id) {
        return new Alarm(id, AlarmType.DRIFT, Severity.WARNING, "m1", 1, 0.3, 0.25, 1_000, "drifted");
    }

    private static <T> T firstSuccess(Supplier<T> call, Duration patience) {
        Instant deadline = Instant.now().plus(patience);
        while (true) {
            try {
                return call.get();
            } catch (RegistryException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("registry did not recover within " + patience, e);
                }
            }
        }
    }

    private static NewVersion version() {
        return new NewVersion(MODEL, null, null, null, null, "ridge-sgd", Map.of(), new VersionMetrics(0.1, 0.2, 0.5),
                "file:///models/m.bin", "d".repeat(64), List.of());
    }
}
