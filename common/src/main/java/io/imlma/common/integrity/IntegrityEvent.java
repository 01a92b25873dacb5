package io.imlma.common.integrity;

/**
 * What the verifier found wrong with one stored file and what it did about it.
 *
 * @param path    the file (or manifest), relative to the store's base
 * @param problem what was wrong with the primary copy
 * @param action  what the verifier did
 * @param outcome how that ended; anything but {@link Outcome#RESTORED} refuses the data
 * @param detail  readable specifics (expected and observed size or SHA-256)
 */
public record IntegrityEvent(String path, Problem problem, Action action, Outcome outcome, String detail) {

    public enum Problem {
        MISSING,
        WRONG_SIZE,
        WRONG_SHA256,
        MANIFEST_MISSING,
        MANIFEST_UNREADABLE,
        /** Primary and backup manifests disagree; neither can be trusted. */
        MANIFEST_MISMATCH
    }

    public enum Action {
        RESTORE_FROM_BACKUP,
        REFUSE
    }

    public enum Outcome {
        RESTORED,
        BACKUP_MISSING,
        BACKUP_CORRUPT,
        REFUSED
    }

    public boolean restored() {
        return outcome == Outcome.RESTORED;
    }
}
