package io.imlma.udf.monitor;

import io.imlma.common.config.Catalogue;
import io.imlma.common.config.Option;
import io.imlma.common.config.Settings;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Groups repeated evaluations of one condition (value above threshold is bad) into alarm episodes: an episode is
 * raised after the condition held for {@code raiseAfter} consecutive evaluations, re-notified at most every
 * {@code renotifyEvery} while it lasts, and cleared only after {@code clearAfter} consecutive evaluations below
 * {@code threshold × (1 − clearMargin)}. Values between the clearing level and the threshold change nothing, so a
 * value hovering at the threshold does not flap.
 */
public final class Hysteresis implements Serializable {
    private static final long serialVersionUID = 1L;

    public enum Transition { NONE, RAISE, RENOTIFY, CLEAR }

    /** The state after one evaluation and what it means for notifications. */
    public record Step(HysteresisState state, Transition transition) {}

    private final int raiseAfter;
    private final int clearAfter;
    private final double clearMargin;
    private final long renotifyEveryMs;

    public Hysteresis(int raiseAfter, int clearAfter, double clearMargin, Duration renotifyEvery) {
        if (raiseAfter < 1 || clearAfter < 1) {
            throw new IllegalArgumentException("raiseAfter and clearAfter must be at least 1");
        }
        if (clearMargin < 0 || clearMargin >= 1) {
            throw new IllegalArgumentException("clearMargin must be in [0, 1)");
        }
        this.raiseAfter = raiseAfter;
        this.clearAfter = clearAfter;
        this.clearMargin = clearMargin;
        this.renotifyEveryMs = renotifyEvery.toMillis();
    }

    public static final Option<Integer> RAISE_AFTER = Option.integer("monitor.hysteresis.raise-after")
            .check(n -> n >= 1, "must be at least 1").defaultText("2 (monitor.stability.delta: 3)")
            .description("Consecutive bad evaluations that raise an alarm, for every monitor without its own"
                    + " monitor.<monitor>.raise-after.");
    public static final Option<Integer> CLEAR_AFTER = Option.integer("monitor.hysteresis.clear-after").defaultValue(3)
            .check(n -> n >= 1, "must be at least 1")
            .description("Consecutive calm evaluations that clear an alarm (monitor.<monitor>.clear-after overrides).");
    public static final Option<Double> CLEAR_MARGIN = Option.decimal("monitor.hysteresis.clear-margin")
            .defaultValue(0.1).check(m -> m >= 0 && m < 1, "must be in [0, 1)")
            .description("An evaluation is calm below threshold × (1 − margin) (monitor.<monitor>.clear-margin"
                    + " overrides).");
    public static final Option<Duration> RENOTIFY_EVERY = Option.duration("monitor.hysteresis.renotify-every")
            .defaultValue(Duration.ofHours(1)).check(d -> !d.isNegative(), "must not be negative")
            .description("An active alarm is notified again at most this often (monitor.<monitor>.renotify-every"
                    + " overrides).");
    /** The shared settings; each monitor reads the same names under its own prefix first ({@link #declare}). */
    public static final List<Option<?>> OPTIONS = List.of(RAISE_AFTER, CLEAR_AFTER, CLEAR_MARGIN, RENOTIFY_EVERY);

    /** Adds the shared settings and the per-monitor ones, {@code <template>.raise-after} and so on, to a catalogue. */
    static Catalogue declare(Catalogue catalogue, String template, String description) {
        catalogue.with(OPTIONS);
        for (Option<?> shared : OPTIONS) {
            catalogue.pattern(template + shared.key().substring(shared.key().lastIndexOf('.')), description);
        }
        return catalogue;
    }

    /**
     * Reads {@code <prefix>.raise-after}, {@code .clear-after}, {@code .clear-margin} and {@code .renotify-every},
     * falling back to {@link #OPTIONS} and, for raise-after, to {@code defaultRaiseAfter}.
     */
    public static Hysteresis fromSettings(Settings settings, String prefix, int defaultRaiseAfter) {
        return new Hysteresis(
                own(settings, prefix, RAISE_AFTER).or(() -> RAISE_AFTER.find(settings)).orElse(defaultRaiseAfter),
                own(settings, prefix, CLEAR_AFTER).orElseGet(() -> CLEAR_AFTER.value(settings)),
                own(settings, prefix, CLEAR_MARGIN).orElseGet(() -> CLEAR_MARGIN.value(settings)),
                own(settings, prefix, RENOTIFY_EVERY).orElseGet(() -> RENOTIFY_EVERY.value(settings)));
    }

    private static <T> Optional<T> own(Settings settings, String prefix, Option<T> shared) {
        return shared.under(prefix + shared.key().substring(shared.key().lastIndexOf('.'))).find(settings);
    }

    public Step evaluate(HysteresisState state, double value, double threshold, long time) {
        HysteresisState s = state == null ? HysteresisState.INITIAL : state;
        boolean above = value > threshold;
        boolean calm = value < threshold * (1 - clearMargin);
        int breaches = above ? s.breaches() + 1 : 0;
        int calmRun = calm ? s.calm() + 1 : 0;
        if (!s.active()) {
            if (breaches >= raiseAfter) {
                return new Step(new HysteresisState(true, breaches, 0, time, time), Transition.RAISE);
            }
            return new Step(new HysteresisState(false, breaches, calmRun, 0L, 0L), Transition.NONE);
        }
        if (calmRun >= clearAfter) {
            return new Step(new HysteresisState(false, 0, 0, 0L, 0L), Transition.CLEAR);
        }
        if (above && time - s.lastNotified() >= renotifyEveryMs) {
            return new Step(new HysteresisState(true, breaches, 0, s.episodeStart(), time), Transition.RENOTIFY);
        }
        return new Step(new HysteresisState(true, breaches, calmRun, s.episodeStart(), s.lastNotified()), Transition.NONE);
    }

    /** Id of an alarm episode: the same condition raised at the same event time always gets the same id. */
    public static String alarmId(String type, String scope, long episodeStart) {
        return UUID.nameUUIDFromBytes((type + '|' + scope + '|' + episodeStart).getBytes(StandardCharsets.UTF_8))
                .toString();
    }
}
