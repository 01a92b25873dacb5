package io.imlma.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JVM a test starts beside itself: the Java of the running JVM with the given options, classpath and main class
 * (or a launch script of the project that starts one, such as {@code cluster/flink}), its standard output and error
 * in one file. It is stopped with SIGTERM, SIGKILL after a timeout, when closed or when the test JVM exits; it can be
 * killed with SIGKILL on purpose. Waits for readiness fail as soon as the process exits, and failures carry the end
 * of its log.
 */
public final class ChildJvm implements AutoCloseable {

    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(ChildJvm.class);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final int LOG_TAIL_LINES = 60;

    private final String name;
    private final Process process;
    private final Path output;
    private final Path logFile;
    private final Runnable afterStop;
    private final Thread stopAtExit;
    private boolean stopped;

    private ChildJvm(String name, Process process, Path output, Path logFile, Runnable afterStop) {
        this.name = name;
        this.process = process;
        this.output = output;
        this.logFile = logFile;
        this.afterStop = afterStop;
        this.stopAtExit = new Thread(this::stop, name + "-stop");
        Runtime.getRuntime().addShutdownHook(stopAtExit);
    }

    /** A JVM running {@code mainClass} on the Java installation of this JVM. */
    public static Builder java(String mainClass) {
        return new Builder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()), mainClass);
    }

    /** A script that starts a JVM itself (its options are the script's business). */
    public static Builder script(Path script) {
        return new Builder(List.of(script.toString()), null);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The file with its standard output and error. */
    public Path output() {
        return output;
    }

    /** The file that says why it failed: its own log file if it writes one, else {@link #output()}. */
    public Path logFile() {
        return logFile;
    }

    /** @throws IllegalStateException naming the exit code, with the end of its log, if the process has exited */
    public void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with code " + process.exitValue() + "; " + logTail());
        }
    }

    /**
     * Waits until {@code ready} is true, asking it every 100 ms.
     *
     * @throws IllegalStateException if the process exits meanwhile or {@code timeout} passes (with its log's end)
     */
    public void awaitReady(String what, Duration timeout, Callable<Boolean> ready) {
        awaitWhileAlive(List.of(this), this, what, timeout, ready);
    }

    /**
     * Waits until {@code condition} is true, asking it every 100 ms, as long as every one of {@code processes} runs.
     *
     * @param timeoutReport whose log ends the message when {@code timeout} passes
     * @throws IllegalStateException if one of the processes exits or the timeout passes
     */
    public static void awaitWhileAlive(Collection<ChildJvm> processes, ChildJvm timeoutReport, String what,
            Duration timeout, Callable<Boolean> condition) {
        try {
            Awaitility.await(what).atMost(positive(timeout)).pollDelay(Duration.ZERO).pollInterval(POLL_INTERVAL)
                    .pollInSameThread()
                    .until(() -> {
                        processes.forEach(ChildJvm::checkAlive);
                        return condition.call();
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("timed out after " + timeout + " waiting for " + what + "; "
                    + timeoutReport.logTail(), e);
        }
    }

    /**
     * Waits for the process to end by itself.
     *
     * @return its exit code
     * @throws IllegalStateException if it still runs after {@code timeout} (with the end of its log)
     */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " still runs after " + timeout + "; " + logTail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
        return process.exitValue();
    }

    /** Kills the process with SIGKILL ({@code kill -9}) and returns once it has exited. */
    public synchronized void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " survived SIGKILL for " + STOP_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing " + name, e);
        }
        LOG.info("killed {} (pid {}, exit code {})", name, pid(), process.exitValue());
        stop();
    }

    /** Stops the process: SIGTERM, SIGKILL after {@link #STOP_TIMEOUT}. */
    @Override
    public void close() {
        stopAll(List.of(this));
    }

    /** Stops all of them at once: SIGTERM to each, then SIGKILL to those still running after {@link #STOP_TIMEOUT}. */
    public static void stopAll(Collection<ChildJvm> processes) {
        processes.forEach(p -> p.process.destroy());
        processes.forEach(ChildJvm::stop);
    }

    private synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{} (pid {}) did not stop within {}; killing it", name, pid(), STOP_TIMEOUT);
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        afterStop.run();
        if (Thread.currentThread() != stopAtExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(stopAtExit);
            } catch (IllegalStateException jvmAlreadyShuttingDown) {
                // the hook runs stop() as well, which finds the process stopped
            }
        }
    }

    /** The end of the log file, and of the output file if that is another one. */
    public String logTail() {
        String tail = "end of " + logFile + ":\n" + tail(logFile);
        return logFile.equals(output) ? tail : tail + "\nend of " + output + ":\n" + tail(output);
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static Duration positive(Duration timeout) {
        return timeout.isNegative() || timeout.isZero() ? Duration.ofMillis(1) : timeout;
    }

    /** What to start; {@link #start()} launches it, {@link #run(Duration)} runs it to its end. */
    public static final class Builder {
        private final List<String> executable;
        private final String mainClass;
        private final List<String> jvmOptions = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private String classpath;
        private String name;
        private Path output;
        private boolean appendOutput;
        private Path logFile;
        private Runnable afterStop = () -> { };

        private Builder(List<String> executable, String mainClass) {
            this.executable = executable;
            this.mainClass = mainClass;
            this.name = mainClass != null ? mainClass.substring(mainClass.lastIndexOf('.') + 1)
                    : Path.of(executable.get(0)).getFileName().toString();
        }

        /** The name in logs and messages. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder classpath(String classpath) {
            this.classpath = classpath;
            return this;
        }

        public Builder jvmOptions(Collection<String> options) {
            if (mainClass == null) {
                throw new IllegalStateException("a script sets the options of the JVM it starts");
            }
            jvmOptions.addAll(options);
            return this;
        }

        public Builder jvmOptions(String... options) {
            return jvmOptions(List.of(options));
        }

        public Builder args(Collection<String> arguments) {
            args.addAll(arguments);
            return this;
        }

        public Builder args(String... arguments) {
            return args(List.of(arguments));
        }

        /** Standard output and error go to {@code file}, replacing what it held. */
        public Builder output(Path file) {
            this.output = file;
            this.appendOutput = false;
            return this;
        }

        /** Standard output and error are appended to {@code file}. */
        public Builder appendOutput(Path file) {
            this.output = file;
            this.appendOutput = true;
            return this;
        }

        /** The process's own log file, shown when it fails (default: the output file). */
        public Builder logFile(Path file) {
            this.logFile = file;
            return this;
        }

        /** Runs once the process has stopped, by {@link #close()} or at the test JVM's exit (e.g. deleting data). */
        public Builder afterStop(Runnable action) {
            this.afterStop = action;
            return this;
        }

        /** Launches the process and returns at once. */
        public ChildJvm start() {
            if (output == null) {
                throw new IllegalStateException("no output file for " + name);
            }
            try {
                Files.createDirectories(output.toAbsolutePath().getParent());
                Process process = new ProcessBuilder(command()).redirectErrorStream(true)
                        .redirectOutput(appendOutput ? ProcessBuilder.Redirect.appendTo(output.toFile())
                                : ProcessBuilder.Redirect.to(output.toFile()))
                        .start();
                LOG.info("started {} (pid {}, output {})", name, process.pid(), output);
                return new ChildJvm(name, process, output, logFile != null ? logFile : output, afterStop);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + name, e);
            }
        }

        /**
         * Runs the process to its end and returns what it wrote.
         *
         * @throws IllegalStateException if it does not end within {@code timeout} (it is killed then) or ends with
         *     a non-zero exit code; the message has the end of its log
         */
        public String run(Duration timeout) {
            ChildJvm child = start();
            try {
                if (!child.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException(name + " did not end within " + timeout + "; " + child.logTail());
                }
                if (child.process.exitValue() != 0) {
                    throw new IllegalStateException(name + " failed with exit code " + child.process.exitValue()
                            + "; " + child.logTail());
                }
                return Files.readString(child.output, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the output of " + name, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running " + name, e);
            } finally {
                child.process.destroyForcibly();
                child.stop();
            }
        }

        private List<String> command() {
            List<String> command = new ArrayList<>(executable);
            command.addAll(jvmOptions);
            if (classpath != null) {
                command.addAll(List.of("-cp", classpath));
            }
            if (mainClass != null) {
                command.add(mainClass);
            }
            command.addAll(args);
            return command;
        }
    }
}
