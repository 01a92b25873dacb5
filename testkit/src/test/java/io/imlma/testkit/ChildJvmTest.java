package io.imlma.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildJvmTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** The child: prints its arguments, then exits with the code in the first one, or waits to be stopped. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            System.out.println("child says " + String.join(" ", args));
            System.err.println("child on stderr");
            System.out.flush();
            if (!args[0].equals("wait")) {
                System.exit(Integer.parseInt(args[0]));
            }
            Thread.currentThread().join();
        }
    }

    private ChildJvm.Builder child(String... args) throws URISyntaxException {
        String classes = Path.of(Child.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        return ChildJvm.java(Child.class.getName()).name("child").jvmOptions("-Xmx32m", "-XX:TieredStopAtLevel=1")
                .classpath(classes).args(args).output(dir.resolve("child.out"));
    }

    @Test
    void runReturnsWhatTheJvmWroteToStdoutAndStderr() throws Exception {
        String output = child("0", "hello").run(TIMEOUT);

        assertThat(output).contains("child says 0 hello").contains("child on stderr");
    }

    @Test
    void runFailsNamingTheExitCodeAndShowingTheOutput() {
        assertThatThrownBy(() -> child("3", "broken").run(TIMEOUT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("child failed with exit code 3")
                .hasMessageContaining("child says 3 broken");
    }

    @Test
    void awaitReadyFailsAsSoonAsTheProcessExits() throws Exception {
        try (ChildJvm jvm = child("7").start()) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> jvm.awaitReady("something that never happens", TIMEOUT, () -> false))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("child exited with code 7")
                    .hasMessageContaining("child says 7");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT);
        }
    }

    @Test
    void awaitReadyTimesOutWithTheEndOfTheLog() throws Exception {
        try (ChildJvm jvm = child("wait").start()) {
            jvm.awaitReady("its output", TIMEOUT, () -> Files.readString(jvm.output()).contains("child says"));
            assertThatThrownBy(() -> jvm.awaitReady("a condition", Duration.ofMillis(300), () -> false))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("waiting for a condition")
                    .hasMessageContaining("child says wait");
        }
    }

    @Test
    void killEndsTheProcessAtOnceAndCloseStopsIt() throws Exception {
        AtomicBoolean cleanedUp = new AtomicBoolean();
        ChildJvm killed = child("wait").afterStop(() -> cleanedUp.set(true)).start();
        ChildJvm stopped = child("wait").start();
        ProcessHandle killedHandle = ProcessHandle.of(killed.pid()).orElseThrow();
        ProcessHandle stoppedHandle = ProcessHandle.of(stopped.pid()).orElseThrow();

        killed.kill();
        stopped.close();

        assertThat(killedHandle.isAlive()).isFalse();
        assertThat(stoppedHandle.isAlive()).isFalse();
        assertThat(cleanedUp).isTrue();
        assertThatThrownBy(killed::checkAlive).hasMessageContaining("child exited with code 137");
    }
}
