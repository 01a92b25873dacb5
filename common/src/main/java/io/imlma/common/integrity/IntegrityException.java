package io.imlma.common.integrity;

import java.util.stream.Collectors;

/**
 * Stored data failed its checksum and could not be restored (the backup is missing or bad too). The data must not
 * be used; the report says which files and carries the alarms raised.
 */
public class IntegrityException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient VerificationReport report;

    public IntegrityException(String what, VerificationReport report) {
        super("REFUSED " + what + ": integrity check failed and the backup could not repair it: "
                + report.events().stream()
                        .filter(e -> !e.restored())
                        .map(e -> e.path() + " " + e.problem() + " -> " + e.outcome() + " (" + e.detail() + ")")
                        .collect(Collectors.joining("; ")));
        this.report = report;
    }

    public VerificationReport report() {
        return report;
    }
}
