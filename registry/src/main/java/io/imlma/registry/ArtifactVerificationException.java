package io.imlma.registry;

/** A version's artifact failed its SHA-256 check, so it is not served. */
public class ArtifactVerificationException extends RegistryException {
    public ArtifactVerificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
