package io.imlma.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects the {@link SharedKafka} broker into test, lifecycle and constructor parameters of type
 * {@link KafkaBroker}:
 *
 * <pre>{@code
 * @ExtendWith(KafkaBrokerExtension.class)
 * class ReadingsToKafkaIT {
 *     @Test
 *     void writesEveryReading(KafkaBroker kafka) { ... kafka.bootstrapServers() ... }
 * }
 * }</pre>
 */
public final class KafkaBrokerExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return SharedKafka.broker();
    }
}
