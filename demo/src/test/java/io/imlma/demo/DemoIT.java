package io.imlma.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.imlma.common.config.Settings;
import io.imlma.jobs.launch.JdbcLaunchLedger;
import io.imlma.jobs.launch.LaunchOutcome;
import io.imlma.registry.jdbc.RegistryDataSource;
import io.imlma.testkit.ChildJvm;
import io.imlma.testkit.EttFixture;
import io.imlma.testkit.FreePorts;
import io.imlma.testkit.ProjectRoot;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo as a user runs it, in a child JVM: Flink's dashboard on the web port and the IMLMA page on the API port,
 * every port on loopback only, no jar upload; SIGTERM during a retraining stops it within 15 s, records the
 * retraining as abandoned and leaves a registry that opens; a taken port fails the start in one line.
 */
class DemoIT {
    private static final Duration START = Duration.ofMinutes(3);
    private static final Duration STOP_BUDGET = Duration.ofSeconds(15);
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void servesBothPagesOnLoopbackAndStopsWithinSecondsDuringARetraining() throws Exception {
        List<Integer> ports = FreePorts.allocate(3);
        int web = ports.get(0);
        int prometheus = ports.get(1);
        int api = ports.get(2);
        ChildJvm demo = demo(web, prometheus, api, "--speed-up", "0",
                // the first retraining after a week of the seven channels, so that one is running soon
                "--trigger.min-initial-rows", Integer.toString(7 * 96 * 7),
                // a week of data holds 39 day-ahead training windows per meter, fewer than the default minimum
                "--training.min-windows-per-meter", "30");
        try {
            demo.awaitReady("Flink's dashboard and the IMLMA page", START,
                    () -> get(web, "/").map(p -> p.contains("Apache Flink Web Dashboard")).orElse(false)
                            && get(api, "/").map(p -> p.contains("IMLMA")).orElse(false));
            assertThat(get(web, "/").orElseThrow()).doesNotContain("IMLMA");
            assertThat(get(web, "/config").orElseThrow()).as("jar upload through the web UI is off")
                    .containsPattern("\"web-submit\"\\s*:\\s*false");
            assertThat(get(prometheus, "/metrics").orElseThrow()).contains("flink_");
            for (InetAddress address : nonLoopbackAddresses()) {
                for (int port : ports) {
                    assertThat(reachable(address, port)).as("port %d on %s", port, address).isFalse();
                }
            }
            demo.awaitReady("a retraining to start", START,
                    () -> Files.readString(demo.output()).contains("retraining launched"));
        } catch (RuntimeException | AssertionError e) {
            demo.close();
            throw e;
        }
        long signalled = System.nanoTime();
        demo.close(); // SIGTERM, and waits
        Duration stop = Duration.ofNanos(System.nanoTime() - signalled);
        System.out.printf("demo stopped %d ms after SIGTERM during a retraining%n", stop.toMillis());
        assertThat(stop).isLessThan(STOP_BUDGET);
        assertThat(Files.readString(demo.output())).contains("stopping: cancelling the job");

        try (JdbcLaunchLedger ledger = JdbcLaunchLedger.open(new Settings(Map.of(RegistryDataSource.JDBC_URL.key(),
                RegistryDataSource.h2File(dir.resolve("work/registry")))))) {
            List<LaunchOutcome> launches = ledger.launches();
            assertThat(launches).isNotEmpty().noneMatch(l -> l.status() == LaunchOutcome.Status.RUNNING);
            assertThat(launches).anyMatch(l -> l.status() == LaunchOutcome.Status.CANCELED
                    && l.message().contains("abandoned"));
        }
    }

    @Test
    void aTakenPortFailsTheStartInOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(FreePorts.LOOPBACK, 0));
            List<Integer> ports = FreePorts.allocate(2);
            ChildJvm demo = demo(taken.getLocalPort(), ports.get(0), ports.get(1));
            try {
                assertThat(demo.awaitExit(Duration.ofSeconds(60))).isEqualTo(Demo.START_FAILED);
            } finally {
                demo.close();
            }
            List<String> said = Files.readAllLines(demo.output()).stream()
                    .filter(l -> l.startsWith("imlma demo:")).toList();
            assertThat(said).singleElement().asString().contains("web-port")
                    .contains(Integer.toString(taken.getLocalPort()));
        }
    }

    private ChildJvm demo(int web, int prometheus, int api, String... more) {
        List<String> args = new ArrayList<>(List.of("--input", EttFixture.file().toString(),
                "--work-dir", dir.resolve("work").toString(), "--web-port", Integer.toString(web),
                "--prometheus-port", Integer.toString(prometheus), "--api.port", Integer.toString(api)));
        Collections.addAll(args, more);
        List<String> jvm = new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports")).toList());
        jvm.add("-Xmx1g");
        jvm.add("-Dlog4j.configurationFile=" + ProjectRoot.resolve("bin/log4j2.properties"));
        jvm.add("-Dimlma.log.file=" + dir.resolve("demo.log"));
        return ChildJvm.java(Demo.class.getName()).name("demo").classpath(System.getProperty("java.class.path"))
                .jvmOptions(jvm).args(args).output(dir.resolve("console.txt")).logFile(dir.resolve("demo.log"))
                .start();
    }

    private Optional<String> get(int port, String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://" + FreePorts.LOOPBACK + ":" + port + path)).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static List<InetAddress> nonLoopbackAddresses() throws IOException {
        List<InetAddress> addresses = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                nic.inetAddresses().filter(a -> a instanceof Inet4Address).forEach(addresses::add);
            }
        }
        return addresses;
    }

    private static boolean reachable(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
