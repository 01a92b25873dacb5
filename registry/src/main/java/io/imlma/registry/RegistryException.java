package io.imlma.registry;

/** The registry could not complete an operation (database failure, or a subclass's more specific reason). */
public class RegistryException extends RuntimeException {
    public RegistryException(String message) {
        super(message);
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
