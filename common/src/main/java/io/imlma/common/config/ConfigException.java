package io.imlma.common.config;

/** A setting is missing or invalid; the message names the setting and says what is expected. */
public class ConfigException extends RuntimeException {
    private final String setting;

    public ConfigException(String setting, String problem) {
        super("Invalid setting '" + setting + "': " + problem);
        this.setting = setting;
    }

    public String setting() {
        return setting;
    }
}
