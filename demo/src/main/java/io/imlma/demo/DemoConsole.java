package io.imlma.demo;

import io.imlma.jobs.launch.JdbcLaunchLedger;
import io.imlma.registry.AlarmStatus;
import io.imlma.registry.ModelRegistry;
import io.imlma.registry.ModelVersion;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's console: a status line (replay position, loop summary) refreshed in place on a terminal, or printed
 * every {@link #PIPED_EVERY} polls as a plain line when the output is piped, and one line per loop event. Events go
 * to the log file too.
 */
final class DemoConsole implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoConsole.class);
    private static final Duration POLL = Duration.ofSeconds(2);
    private static final int PIPED_EVERY = 15;
    private static final int MAX_ALARMS = 1000;

    private final PrintStream out;
    private final boolean terminal;
    private final ReplaySpan span;
    private final Supplier<OptionalLong> watermark;
    private final ModelRegistry registry;
    private final JdbcLaunchLedger ledger;
    private final Instant started = Instant.now();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "demo-console");
        thread.setDaemon(true);
        return thread;
    });
    private LoopView last = LoopView.EMPTY;
    private String lastStatus = "";
    private int polls;

    DemoConsole(PrintStream out, boolean terminal, ReplaySpan span, Supplier<OptionalLong> watermark,
            ModelRegistry registry, JdbcLaunchLedger ledger) {
        this.out = out;
        this.terminal = terminal;
        this.span = span;
        this.watermark = watermark;
        this.registry = registry;
        this.ledger = ledger;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::pollSafely, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            // a registry busy or closing: the next poll tries again
            LOG.debug("console poll failed", e);
        }
    }

    synchronized void poll() {
        LoopView view = read();
        for (String event : view.eventsSince(last)) {
            LOG.info(event);
            print(event, true);
        }
        last = view;
        OptionalLong position = watermark.get();
        String replay = position.isEmpty() ? "replay starting"
                : ReplayProgress.of(span, position.getAsLong(), Duration.between(started, Instant.now())).describe();
        String status = replay + " · " + view.summary();
        polls++;
        if (terminal) {
            print(status, false);
        } else if (!status.equals(lastStatus) && polls % PIPED_EVERY == 1) {
            print(status, true);
        }
        lastStatus = status;
    }

    private LoopView read() {
        List<ModelVersion> versions = new ArrayList<>();
        registry.models().forEach(m -> versions.addAll(registry.versions(m)));
        return new LoopView(ledger.launches(), versions,
                registry.alarms(Instant.EPOCH, Instant.now().plus(Duration.ofDays(1)), AlarmStatus.ACTIVE, MAX_ALARMS));
    }

    /** On a terminal the status line is redrawn in place ({@code \r}, erase line); an event line pushes it down. */
    private void print(String line, boolean keep) {
        if (terminal) {
            out.print("\r\033[K" + line + (keep ? System.lineSeparator() + lastStatus : ""));
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Stops refreshing; ends the status line on a terminal. */
    @Override
    public synchronized void close() {
        timer.shutdownNow();
        if (terminal) {
            out.println();
        }
    }

    /** Writes one line below the status line (e.g. that the demo is stopping). */
    synchronized void say(String line) {
        print(line, false);
        if (terminal) {
            out.println();
        }
        lastStatus = "";
    }
}
