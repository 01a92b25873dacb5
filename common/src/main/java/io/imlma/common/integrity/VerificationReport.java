package io.imlma.common.integrity;

import io.imlma.common.types.Alarm;
import java.util.List;

/**
 * Result of a verification: the manifests that were checked (for a snapshot range), every problem found with what
 * was done about it, and the integrity alarms raised. Empty {@code events} means everything matched.
 */
public record VerificationReport(List<SnapshotManifest> manifests, List<IntegrityEvent> events, List<Alarm> alarms) {
    public VerificationReport {
        manifests = List.copyOf(manifests);
        events = List.copyOf(events);
        alarms = List.copyOf(alarms);
    }

    /** True when every problem found was repaired from the backup, so the data may be used. */
    public boolean usable() {
        return events.stream().allMatch(IntegrityEvent::restored);
    }

    public long rows() {
        return manifests.stream().mapToLong(SnapshotManifest::rows).sum();
    }
}
