package io.imlma.jobs.loop;

import io.imlma.common.config.Settings;
import io.imlma.common.types.Alarm;
import io.imlma.registry.jdbc.JdbcModelRegistry;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;

/**
 * Writes alarms to the registry's alarm table ({@code registry.*} settings): each event of an episode (raise,
 * re-notification, clear) updates the record of its alarm id. Recording an event is idempotent and independent of
 * the order events arrive in, so events replayed after a restore, or written by parallel writers, change nothing
 * twice.
 */
public final class RegistryAlarmSink implements Sink<Alarm> {
    private static final long serialVersionUID = 1L;

    private final HashMap<String, String> registrySettings;

    public RegistryAlarmSink(Settings settings) {
        this.registrySettings = new HashMap<>(settings.asMap());
    }

    @Override
    @SuppressWarnings("deprecation") // Flink 1.20 still requires this overload
    public SinkWriter<Alarm> createWriter(InitContext context) {
        // alarms need no artifact checks: the registry's verifier is never asked
        JdbcModelRegistry registry = JdbcModelRegistry.open(new Settings(Map.copyOf(registrySettings)),
                (path, sha) -> { });
        return new SinkWriter<>() {
            @Override
            public void write(Alarm alarm, Context ctx) {
                registry.recordAlarm(alarm);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {
                registry.close();
            }
        };
    }
}
