package io.imlma.common.integrity;

import io.imlma.common.integrity.IntegrityEvent.Action;
import io.imlma.common.integrity.IntegrityEvent.Outcome;
import io.imlma.common.integrity.IntegrityEvent.Problem;
import io.imlma.common.json.Json;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks stored files against their recorded size and SHA-256 before they are used, and repairs a bad primary copy
 * from the backup copy after checking the backup against the same SHA-256. Every problem becomes an
 * {@link IntegrityEvent} and an integrity {@link Alarm} (warning when repaired, critical when not); when anything
 * could not be repaired the whole request is refused with an {@link IntegrityException}. Snapshot partitions and
 * model files go through the same {@link #verifyFile} path.
 */
public final class IntegrityVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(IntegrityVerifier.class);

    private final IntegrityStore store;
    private final Clock clock;

    public IntegrityVerifier(IntegrityStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Verifies (and if needed restores) one file with a known SHA-256, e.g. a model file from the registry. */
    public VerificationReport verifyFile(String relativePath, String sha256) throws IntegrityException {
        Findings findings = new Findings();
        checkAndRepair(relativePath, sha256, -1, findings);
        return findings.finish("file " + relativePath, List.of());
    }

    /**
     * Verifies every partition of {@code range} in a snapshot store whose primary base is the snapshot root. Each
     * partition must have a manifest (the snapshot writer writes one per complete partition, empty ones included);
     * all its files must match. Returns the manifests, whose files are the ones to read.
     */
    public VerificationReport verifySnapshot(TimeRange range, PartitionGranularity granularity)
            throws IntegrityException {
        Findings findings = new Findings();
        List<SnapshotManifest> manifests = new ArrayList<>();
        for (String partitionId : granularity.partitionIds(range)) {
            SnapshotManifest manifest = verifiedManifest(partitionId, findings);
            if (manifest == null) {
                continue;
            }
            manifests.add(manifest);
            for (SnapshotManifest.ManifestFile file : manifest.files()) {
                checkAndRepair(partitionId + "/" + file.path(), file.sha256(), file.bytes(), findings);
            }
        }
        return findings.finish("snapshot range " + granularity.partitionId(range.from()) + " .. "
                + granularity.partitionId(Math.max(range.from(), range.to() - 1)), manifests);
    }

    private SnapshotManifest verifiedManifest(String partitionId, Findings findings) {
        String relative = partitionId + "/" + SnapshotManifest.FILE_NAME;
        ReadManifest primary = readManifest(store.primary(relative));
        ReadManifest backup = readManifest(store.backup(relative));
        if (primary.manifest != null) {
            if (backup.manifest != null && !primary.manifest.sameContentAs(backup.manifest)) {
                findings.add(relative, Problem.MANIFEST_MISMATCH, Action.REFUSE, Outcome.REFUSED,
                        "primary and backup manifests list different files", "mismatch");
                return null;
            }
            return primary.manifest;
        }
        Problem problem = primary.exists ? Problem.MANIFEST_UNREADABLE : Problem.MANIFEST_MISSING;
        if (backup.manifest == null) {
            findings.add(relative, problem, Action.RESTORE_FROM_BACKUP,
                    backup.exists ? Outcome.BACKUP_CORRUPT : Outcome.BACKUP_MISSING,
                    "partition has no usable manifest (not committed, or lost)", problem.name());
            return null;
        }
        try {
            AtomicFiles.copy(store.backup(relative), store.primary(relative));
            findings.add(relative, problem, Action.RESTORE_FROM_BACKUP, Outcome.RESTORED,
                    "manifest restored from backup", problem.name());
        } catch (IOException e) {
            findings.add(relative, problem, Action.RESTORE_FROM_BACKUP, Outcome.REFUSED,
                    "restoring manifest failed: " + e, problem.name());
            return null;
        }
        return backup.manifest;
    }

    private void checkAndRepair(String relative, String sha256, long bytes, Findings findings) {
        Path primary = store.primary(relative);
        Check check = check(primary, sha256, bytes);
        if (check.problem == null) {
            return;
        }
        Path backup = store.backup(relative);
        Check backupCheck = check(backup, sha256, bytes);
        String detail = check.detail;
        if (backupCheck.problem != null) {
            Outcome outcome = backupCheck.problem == Problem.MISSING ? Outcome.BACKUP_MISSING : Outcome.BACKUP_CORRUPT;
            findings.add(relative, check.problem, Action.RESTORE_FROM_BACKUP, outcome,
                    detail + "; backup: " + backupCheck.detail, check.observed);
            return;
        }
        try {
            AtomicFiles.copy(backup, primary);
            Check after = check(primary, sha256, bytes);
            findings.add(relative, check.problem, Action.RESTORE_FROM_BACKUP,
                    after.problem == null ? Outcome.RESTORED : Outcome.REFUSED,
                    after.problem == null ? detail : detail + "; after restore: " + after.detail, check.observed);
        } catch (IOException e) {
            findings.add(relative, check.problem, Action.RESTORE_FROM_BACKUP, Outcome.REFUSED,
                    detail + "; restore failed: " + e, check.observed);
        }
    }

    /** Size first (cheap), then the streamed SHA-256. {@code bytes < 0}: size unknown, only the digest counts. */
    private static Check check(Path file, String sha256, long bytes) {
        try {
            FileSystem fs = file.getFileSystem();
            if (!fs.exists(file)) {
                return new Check(Problem.MISSING, "missing", "missing");
            }
            long length = fs.getFileStatus(file).getLen();
            if (bytes >= 0 && length != bytes) {
                return new Check(Problem.WRONG_SIZE, length + " bytes, expected " + bytes, "size-" + length);
            }
            String actual = FileDigest.of(file).sha256();
            if (!actual.equalsIgnoreCase(sha256)) {
                return new Check(Problem.WRONG_SHA256, "SHA-256 " + actual + ", expected " + sha256, actual);
            }
            return new Check(null, "ok", actual);
        } catch (IOException e) {
            return new Check(Problem.MISSING, "unreadable: " + e, "unreadable");
        }
    }

    private static ReadManifest readManifest(Path path) {
        try {
            FileSystem fs = path.getFileSystem();
            if (!fs.exists(path)) {
                return new ReadManifest(false, null);
            }
            try (InputStream in = fs.open(path)) {
                return new ReadManifest(true, Json.MAPPER.readValue(in, SnapshotManifest.class));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Unreadable manifest {}: {}", path, e.toString());
            return new ReadManifest(true, null);
        }
    }

    private record Check(Problem problem, String detail, String observed) {}

    private record ReadManifest(boolean exists, SnapshotManifest manifest) {}

    /** Events and alarms of one verification run. */
    private final class Findings {
        private final List<IntegrityEvent> events = new ArrayList<>();
        private final List<Alarm> alarms = new ArrayList<>();

        void add(String path, Problem problem, Action action, Outcome outcome, String detail, String observed) {
            IntegrityEvent event = new IntegrityEvent(path, problem, action, outcome, detail);
            events.add(event);
            boolean restored = event.restored();
            String message = (restored ? "Restored " : "Could not restore ") + path + " from backup: " + problem
                    + " (" + detail + ")" + (restored ? "" : ", outcome " + outcome + "; data refused");
            if (restored) {
                LOG.warn(message);
            } else {
                LOG.error(message);
            }
            // id names the file, the problem and what was observed: a replayed check of the same damage repeats it
            alarms.add(new Alarm("integrity:" + path + ":" + problem + ":" + observed, AlarmType.INTEGRITY,
                    restored ? Severity.WARNING : Severity.CRITICAL, null, 0, restored ? 1 : 0, 1, clock.millis(),
                    message));
        }

        VerificationReport finish(String what, List<SnapshotManifest> manifests) throws IntegrityException {
            VerificationReport report = new VerificationReport(manifests, events, alarms);
            if (!report.usable()) {
                throw new IntegrityException(what, report);
            }
            return report;
        }
    }
}
