package io.imlma.registry;

/** The model or version asked for is not registered. */
public class NoSuchVersionException extends RegistryException {
    public NoSuchVersionException(String message) {
        super(message);
    }
}
