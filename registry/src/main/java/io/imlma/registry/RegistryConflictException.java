package io.imlma.registry;

/** The operation does not fit the version's current state (e.g. archiving the champion, nothing to roll back to). */
public class RegistryConflictException extends RegistryException {
    public RegistryConflictException(String message) {
        super(message);
    }
}
