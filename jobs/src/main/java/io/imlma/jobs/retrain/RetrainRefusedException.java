package io.imlma.jobs.retrain;

/** The retraining request could not be served: its snapshot failed the integrity check and could not be repaired. */
public final class RetrainRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RetrainRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
