package io.imlma.testkit;

/**
 * One Kafka broker per JVM, started on first use and stopped when the JVM exits (by the shutdown hook every
 * {@link KafkaBroker} registers). Integration tests share it to pay the broker's start-up once per test run;
 * they should use their own topic names and must not close it.
 */
public final class SharedKafka {

    private static KafkaBroker broker;
    private static RuntimeException startFailure;

    private SharedKafka() {}

    /**
     * The shared broker, started by the first caller.
     *
     * @throws IllegalStateException if it could not start; later callers get the same failure without another
     *     attempt, so a broken broker fails each test quickly instead of once per start timeout
     */
    public static synchronized KafkaBroker broker() {
        if (startFailure != null) {
            throw new IllegalStateException("the shared Kafka broker failed to start earlier", startFailure);
        }
        if (broker == null) {
            try {
                broker = KafkaBroker.start();
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
        }
        return broker;
    }
}
