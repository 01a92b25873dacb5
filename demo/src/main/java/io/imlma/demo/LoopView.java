package io.imlma.demo;

import io.imlma.jobs.launch.LaunchOutcome;
import io.imlma.registry.AlarmEpisode;
import io.imlma.registry.ModelVersion;
import io.imlma.registry.VersionStatus;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the loop has done so far, as read from the launch ledger and the registry: the console's summary, and the
 * events between two views (a retraining's outcome, a failed launch, an alarm raised or cleared).
 */
record LoopView(List<LaunchOutcome> launches, List<ModelVersion> versions, List<AlarmEpisode> activeAlarms) {
    static final LoopView EMPTY = new LoopView(List.of(), List.of(), List.of());

    /** {@code trigger: 3 requests · versions 4 (champion v1, 3 rejected) · alarms 2 active}. */
    String summary() {
        long rejected = versions.stream().filter(v -> v.status() == VersionStatus.REJECTED).count();
        String champion = champion().map(v -> "champion v" + v.version()).orElse("no champion");
        return String.format(Locale.ROOT, "trigger: %d requests · versions %d (%s, %d rejected) · alarms %d active",
                launches.size(), versions.size(), champion, rejected, activeAlarms.size());
    }

    private Optional<ModelVersion> champion() {
        return versions.stream().filter(v -> v.status() == VersionStatus.CHAMPION).findFirst();
    }

    /** One line per thing that happened since {@code before}, oldest first. */
    List<String> eventsSince(LoopView before) {
        List<String> events = new ArrayList<>();
        Map<String, LaunchOutcome.Status> launched = new HashMap<>();
        before.launches.forEach(l -> launched.put(l.requestId(), l.status()));
        for (LaunchOutcome launch : launches) {
            LaunchOutcome.Status was = launched.get(launch.requestId());
            if (was == null && launch.status() == LaunchOutcome.Status.RUNNING) {
                events.add("retraining launched (request " + launch.requestId() + ")");
            } else if (was != launch.status() && isFailure(launch.status())) {
                events.add("retraining " + launch.status().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                        + " (request " + launch.requestId() + "): " + launch.message());
            }
        }
        Map<String, VersionStatus> known = new HashMap<>();
        before.versions.forEach(v -> known.put(v.modelName() + "/" + v.version(), v.status()));
        for (ModelVersion version : versions) {
            VersionStatus was = known.get(version.modelName() + "/" + version.version());
            if (version.status() == VersionStatus.CANDIDATE) {
                continue; // registered, its decision follows
            }
            if (was == null || was == VersionStatus.CANDIDATE) {
                events.add(decision(version));
            } else if (was != version.status()) {
                events.add(version.modelName() + " v" + version.version() + " is now "
                        + version.status().name().toLowerCase(Locale.ROOT));
            }
        }
        Set<String> wasActive = new HashSet<>();
        before.activeAlarms.forEach(a -> wasActive.add(a.alarmId()));
        Set<String> active = new HashSet<>();
        for (AlarmEpisode alarm : activeAlarms) {
            active.add(alarm.alarmId());
            if (!wasActive.contains(alarm.alarmId())) {
                events.add("alarm raised: " + alarm.severity() + " " + alarm.type() + where(alarm) + " - "
                        + alarm.message());
            }
        }
        before.activeAlarms.stream().filter(a -> !active.contains(a.alarmId()))
                .forEach(a -> events.add("alarm cleared: " + a.type() + where(a)));
        return events;
    }

    /** The meter an alarm is about; none for a job-wide alarm such as latency. */
    private static String where(AlarmEpisode alarm) {
        return alarm.meterId() == null ? "" : " " + alarm.meterId();
    }

    private static boolean isFailure(LaunchOutcome.Status status) {
        return status == LaunchOutcome.Status.FAILED || status == LaunchOutcome.Status.CANCELED
                || status == LaunchOutcome.Status.TIMED_OUT;
    }

    private static String decision(ModelVersion v) {
        String outcome = switch (v.status()) {
            case CHAMPION -> "promoted to champion";
            case REJECTED -> "rejected";
            case ARCHIVED -> "registered, since archived";
            case CANDIDATE -> "registered as candidate"; // not printed: the decision follows
        };
        // a rejection ends the list with its summary of the criteria before it
        List<String> reasons = v.decisionReasons() == null ? List.of() : v.decisionReasons();
        String last = reasons.isEmpty() ? "" : reasons.get(reasons.size() - 1);
        String why = reasons.isEmpty() ? ""
                : ": " + (last.startsWith("rejected: ") ? last.substring("rejected: ".length())
                        : String.join("; ", reasons));
        return String.format(Locale.ROOT, "%s v%d %s (test MAE %.4f, data %s .. %s)%s", v.modelName(), v.version(),
                outcome, v.metrics().mae(), day(v.dataFrom()), day(v.dataTo()), why);
    }

    private static String day(Instant time) {
        return time == null ? "?" : time.atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }
}
