package io.imlma.udf.monitor;

import io.imlma.common.config.Settings;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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

    /**
     * Reads {@code <prefix>.raise-after}, {@code .clear-after}, {@code .clear-margin} and {@code .renotify-every},
     * falling back to the same keys under {@code monitor.hysteresis} and then to the given defaults.
     */
    public static Hysteresis fromSettings(Settings settings, String prefix, int defaultRaiseAfter) {
        String common = "monitor.hysteresis";
        int raiseAfter = settings.integer(prefix + ".raise-after", settings.integer(common + ".raise-after", defaultRaiseAfter));
        int clearAfter = settings.integer(prefix + ".clear-after", settings.integer(common + ".clear-after", 3));
        double margin = settings.decimal(prefix + ".clear-margin", settings.decimal(common + ".clear-margin", 0.1));
        Duration renotify = settings.duration(prefix + ".renotify-every",
                settings.duration(common + ".renotify-every", Duration.ofHours(1)));
        Settings.require(raiseAfter >= 1, prefix + ".raise-after", "must be at least 1");
        Settings.require(clearAfter >= 1, prefix + ".clear-after", "must be at least 1");
        Settings.require(margin >= 0 && margin < 1, prefix + ".clear-margin", "must be in [0, 1)");
        Settings.require(!renotify.isNegative(), prefix + ".renotify-every", "must not be negative");
        return new Hysteresis(raiseAfter, clearAfter, margin, renotify);
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
