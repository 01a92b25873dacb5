package io.imlma.jobs.retrain;

import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.Severity;

/**
 * The retraining request could not be served: its snapshot failed the integrity check and could not be repaired. The
 * run records {@link #alarm} in the registry; a launcher reports the failure with this class's name in its message
 * (its cause chain locally, the job's root exception on a cluster), by which the loop knows a refusal from other
 * failures ({@link #refused}) and raises the same alarm on its alarms stream.
 */
public final class RetrainRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RetrainRefusedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The critical integrity alarm of a refused request; its id is the request's, so recording it twice is one. */
    public static Alarm alarm(String requestId, double failedChecks, long time, String message) {
        return new Alarm("retrain-refused:" + requestId, AlarmType.INTEGRITY, Severity.CRITICAL, null, 0,
                failedChecks, 0, time, message);
    }

    /** Whether a launcher's failure message says that the run was refused. */
    public static boolean refused(String launcherMessage) {
        return launcherMessage != null && launcherMessage.contains(RetrainRefusedException.class.getSimpleName());
    }
}
