package io.imlma.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imlma.common.config.ConfigException;
import io.imlma.common.config.Settings;
import io.imlma.registry.ModelStore;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the API listens, and who may call it there. */
class ApiConfigTest {
    private static final String TOKEN = "a-token-of-sixteen-characters";

    @Test
    void listensOnThisMachineOnlyByDefault() {
        assertThat(ApiConfig.from(settings(Map.of(ApiConfig.AUTH.key(), "off"))).host()).isEqualTo("127.0.0.1");
        assertThat(ApiConfig.from(settings(Map.of(ApiConfig.TOKEN.key(), TOKEN))).host()).isEqualTo("127.0.0.1");
    }

    @Test
    void refusesToOpenAnUnauthenticatedApiToOtherMachines() {
        assertThatThrownBy(() -> ApiConfig.from(settings(Map.of(ApiConfig.AUTH.key(), "off", ApiConfig.HOST.key(), "0.0.0.0"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'" + ApiConfig.HOST.key() + "'")
                .hasMessageContaining(ApiConfig.ALLOW_OPEN_ACCESS.key());
        assertThat(ApiConfig.from(settings(Map.of(ApiConfig.AUTH.key(), "off", ApiConfig.HOST.key(), "localhost"))).host())
                .isEqualTo("localhost");
    }

    @Test
    void opensToOtherMachinesWithATokenOrWhenToldTo() {
        assertThat(ApiConfig.from(settings(Map.of(ApiConfig.TOKEN.key(), TOKEN, ApiConfig.HOST.key(), "0.0.0.0"))).host())
                .isEqualTo("0.0.0.0");
        assertThat(ApiConfig.from(settings(Map.of(ApiConfig.AUTH.key(), "off", ApiConfig.HOST.key(), "0.0.0.0",
                ApiConfig.ALLOW_OPEN_ACCESS.key(), "true"))).authRequired()).isFalse();
    }

    @Test
    void theServersThreadPoolDefaultsToJavalinsAndNeedsRoomForJettysOwnThreads() {
        assertThat(ApiConfig.from(settings(Map.of(ApiConfig.TOKEN.key(), TOKEN))).threads()).isEqualTo(250);
        assertThat(ApiConfig.from(settings(Map.of(ApiConfig.TOKEN.key(), TOKEN, ApiConfig.THREADS.key(), "16"))).threads())
                .isEqualTo(16);
        assertThatThrownBy(() -> ApiConfig.from(settings(Map.of(ApiConfig.TOKEN.key(), TOKEN, ApiConfig.THREADS.key(), "4"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'" + ApiConfig.THREADS.key() + "'");
    }

    private static Settings settings(Map<String, String> given) {
        Map<String, String> s = new HashMap<>(given);
        s.put(ModelStore.PATH.key(), "file:///tmp/imlma-models");
        s.put(ModelStore.BACKUP_PATH.key(), "file:///tmp/imlma-models-backup");
        return new Settings(s);
    }
}
