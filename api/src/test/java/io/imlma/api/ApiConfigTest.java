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
    private static final String AUTH = ApiConfig.AUTH.key();
    private static final String TOKEN_KEY = ApiConfig.TOKEN.key();
    private static final String HOST = ApiConfig.HOST.key();
    private static final String ALLOW_OPEN_ACCESS = ApiConfig.ALLOW_OPEN_ACCESS.key();
    private static final String THREADS = ApiConfig.THREADS.key();
    private static final String TOKEN = "a-token-of-sixteen-characters";

    @Test
    void listensOnThisMachineOnlyByDefault() {
        assertThat(ApiConfig.from(settings(Map.of(AUTH, "off"))).host()).isEqualTo("127.0.0.1");
        assertThat(ApiConfig.from(settings(Map.of(TOKEN_KEY, TOKEN))).host()).isEqualTo("127.0.0.1");
    }

    @Test
    void refusesToOpenAnUnauthenticatedApiToOtherMachines() {
        assertThatThrownBy(() -> ApiConfig.from(settings(Map.of(AUTH, "off", HOST, "0.0.0.0"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'" + HOST + "'")
                .hasMessageContaining(ALLOW_OPEN_ACCESS);
        assertThat(ApiConfig.from(settings(Map.of(AUTH, "off", HOST, "localhost"))).host())
                .isEqualTo("localhost");
    }

    @Test
    void opensToOtherMachinesWithATokenOrWhenToldTo() {
        assertThat(ApiConfig.from(settings(Map.of(TOKEN_KEY, TOKEN, HOST, "0.0.0.0"))).host())
                .isEqualTo("0.0.0.0");
        assertThat(ApiConfig.from(settings(Map.of(AUTH, "off", HOST, "0.0.0.0",
                ALLOW_OPEN_ACCESS, "true"))).authRequired()).isFalse();
    }

    @Test
    void theServersThreadPoolDefaultsToJavalinsAndNeedsRoomForJettysOwnThreads() {
        assertThat(ApiConfig.from(settings(Map.of(TOKEN_KEY, TOKEN))).threads()).isEqualTo(250);
        assertThat(ApiConfig.from(settings(Map.of(TOKEN_KEY, TOKEN, THREADS, "16"))).threads())
                .isEqualTo(16);
        assertThatThrownBy(() -> ApiConfig.from(settings(Map.of(TOKEN_KEY, TOKEN, THREADS, "4"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'" + THREADS + "'");
    }

    private static Settings settings(Map<String, String> given) {
        Map<String, String> s = new HashMap<>(given);
        s.put(ModelStore.PATH.key(), "file:///tmp/imlma-models");
        s.put(ModelStore.BACKUP_PATH.key(), "file:///tmp/imlma-models-backup");
        return new Settings(s);
    }
}
