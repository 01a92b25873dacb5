package io.imlma.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.appender.RollingFileAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.properties.PropertiesConfigurationFactory;
import org.apache.logging.log4j.status.StatusData;
import org.apache.logging.log4j.status.StatusListener;
import org.apache.logging.log4j.status.StatusLogger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster's log4j files build with log4j itself, without configuration errors. */
class Log4jConfigTest {

    @TempDir
    Path logDir;

    private final List<String> errors = new ArrayList<>();
    private final StatusListener errorCollector = new StatusListener() {
        @Override
        public void log(StatusData data) {
            errors.add(data.getFormattedStatus());
        }

        @Override
        public Level getStatusLevel() {
            return Level.ERROR;
        }

        @Override
        public void close() {}
    };

    @BeforeEach
    void collectConfigurationErrors() {
        // Flink's start scripts set log.file; the configurations write there
        System.setProperty("log.file", logDir.resolve("flink.log").toString());
        StatusLogger.getLogger().registerListener(errorCollector);
    }

    @AfterEach
    void stopCollecting() {
        StatusLogger.getLogger().removeListener(errorCollector);
        System.clearProperty("log.file");
    }

    @Test
    void standaloneConfigurationWritesARollingFile() throws IOException {
        Configuration config = build("flink-conf/log4j.properties");

        assertThat(errors).isEmpty();
        assertThat(config.getRootLogger().getLevel()).isEqualTo(Level.INFO);
        assertThat(config.getRootLogger().getAppenders().values())
                .singleElement()
                .isInstanceOf(RollingFileAppender.class);
        assertThat(((RollingFileAppender) config.getAppender("MainAppender")).getFileName())
                .isEqualTo(logDir.resolve("flink.log").toString());
        assertThat(config.getLoggerConfig("io.imlma").getLevel()).isEqualTo(Level.INFO);
        assertThat(config.getLoggerConfig("org.apache.kafka.clients").getLevel()).isEqualTo(Level.WARN);
        config.stop();
    }

    @Test
    void containerConfigurationWritesToStdoutAndFile() throws IOException {
        Configuration config = build("flink-conf/log4j-console.properties");

        assertThat(errors).isEmpty();
        assertThat(config.getRootLogger().getAppenders().values())
                .extracting(Appender::getClass)
                .containsExactlyInAnyOrder(ConsoleAppender.class, RollingFileAppender.class);
        config.stop();
    }

    @Test
    void brokenConfigurationIsNoticed(@TempDir Path dir) throws IOException {
        Path broken = dir.resolve("log4j.properties");
        Files.writeString(broken, String.join("\n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.file.ref = MainAppender",
                "appender.main.name = MainAppender",
                "appender.main.type = RollingFileWithTypo",
                ""));

        build(broken);

        assertThat(errors).isNotEmpty();
    }

    private Configuration build(String relative) throws IOException {
        return build(RepoFiles.resolve(relative));
    }

    private static Configuration build(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Configuration config = new PropertiesConfigurationFactory()
                    .getConfiguration(new LoggerContext("check"), new ConfigurationSource(in, file.toFile()));
            config.initialize();
            return config;
        }
    }
}
