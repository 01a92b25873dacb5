package io.imlma.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imlma.common.config.ConfigException;
import io.imlma.common.config.Settings;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the API listens, and who may call it there. */
class ApiConfigTest {
    private static final String TOKEN = "a-token-of-sixteen-characters";

    @Test
    void listensOnThisMachineOnlyByDefault() {
        assertThat(ApiConfig.from(settings(Map.of(ApiConfig.AUTH, "off"))).host()).isEqualTo("127.0.0.1");
        assertThat(ApiConfig.from(settings(Map.of(ApiConfig.TOKEN, TOKEN))).host()).isEqualTo("127.0.0.1");
    }

    @Test
    void refusesToOpenAnUnauthenticatedApiToOtherMachines() {
        assertThatThrownBy(() -> ApiConfig.from(settings(Map.of(ApiConfig.AUTH, "off", ApiConfig.HOST, "0.0.0.0"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'" + ApiConfig.HOST + "'")
                .hasMessageContaining(ApiConfig.ALLOW_OPEN_ACCESS);
        assertThat(ApiConfig.from(settings(Map.of(ApiConfig.AUTH, "off", ApiConfig.HOST, "localhost"))).host())
                .isEqualTo("localhost");
    }

    @Test
    void opensToOtherMachinesWithATokenOrWhenToldTo() {
        assertThat(ApiConfig.from(settings(Map.of(ApiConfig.TOKEN, TOKEN, ApiConfig.HOST, "0.0.0.0"))).host())
                .isEqualTo("0.0.0.0");
        assertThat(ApiConfig.from(settings(Map.of(ApiConfig.AUTH, "off", ApiConfig.HOST, "0.0.0.0",
                ApiConfig.ALLOW_OPEN_ACCESS, "true"))).authRequired()).isFalse();
    }

    @Test
    void theServersThreadPoolDefaultsToJavalinsAndNeedsRoomForJettysOwnThreads() {
        assertThat(ApiConfig.from(settings(Map.of(ApiConfig.TOKEN, TOKEN))).threads()).isEqualTo(250);
        assertThat(ApiConfig.from(settings(Map.of(ApiConfig.TOKEN, TOKEN, ApiConfig.THREADS, "16"))).threads())
                .isEqualTo(16);
        assertThatThrownBy(() -> ApiConfig.from(settings(Map.of(ApiConfig.TOKEN, TOKEN, ApiConfig.THREADS, "4"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'" + ApiConfig.THREADS + "'");
    }

    private static Settings settings(Map<String, String> given) {
        Map<String, String> s = new HashMap<>(given);
        s.put(ApiConfig.MODEL_STORE, "file:///tmp/imlma-models");
        s.put(ApiConfig.MODEL_STORE_BACKUP, "file:///tmp/imlma-models-backup");
        return new Settings(s);
    }
}
