package io.imlma.common.config;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Flat key/value settings from a properties file and command-line arguments ({@code --key value} or
 * {@code --key=value}; the command line wins). Typed getters fail with a {@link ConfigException} naming the
 * setting, so bad configuration stops a job at start instead of deep inside a running pipeline.
 */
public final class Settings {
    /** Names a properties file whose entries are defaults for the command line. */
    public static final String CONFIG_FILE = "config";

    private final Map<String, String> values;

    public Settings(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static Settings fromArgs(String... args) {
        Map<String, String> cli = commandLine(args);
        Map<String, String> merged = new LinkedHashMap<>();
        String file = cli.get(CONFIG_FILE);
        if (file != null) {
            merged.putAll(readProperties(Path.of(file)));
        }
        merged.putAll(cli);
        return new Settings(merged);
    }

    /** The settings given on the command line itself, without those of the {@value #CONFIG_FILE} file. */
    public static Map<String, String> commandLine(String... args) {
        Map<String, String> cli = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new ConfigException(arg, "expected --name value or --name=value");
            }
            String name = arg.substring(2);
            int eq = name.indexOf('=');
            if (eq >= 0) {
                cli.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                cli.put(name, args[++i]);
            } else {
                cli.put(name, "true");
            }
        }
        return cli;
    }

    private static Map<String, String> readProperties(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(CONFIG_FILE, "file not found: " + file.toAbsolutePath());
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new ConfigException(CONFIG_FILE, "cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> map = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(k -> map.put(k, properties.getProperty(k).trim()));
        return map;
    }

    /** Returns these settings with {@code defaults} filled in where a key is absent. */
    public Settings withDefaults(Map<String, String> defaults) {
        Map<String, String> merged = new LinkedHashMap<>(defaults);
        merged.putAll(values);
        return new Settings(merged);
    }

    public boolean has(String key) {
        String v = values.get(key);
        return v != null && !v.isBlank();
    }

    public Map<String, String> asMap() {
        return values;
    }

    /** Keys starting with {@code prefix}, with the prefix removed (e.g. Kafka client properties). */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    public String string(String key) {
        String v = values.get(key);
        if (v == null || v.isBlank()) {
            throw new ConfigException(key, "required but not set");
        }
        return v.trim();
    }

    public String string(String key, String fallback) {
        return has(key) ? values.get(key).trim() : fallback;
    }

    public int integer(String key, int fallback) {
        return has(key) ? parse(key, Integer::parseInt, "an integer") : fallback;
    }

    public long longValue(String key, long fallback) {
        return has(key) ? parse(key, Long::parseLong, "an integer") : fallback;
    }

    public double decimal(String key, double fallback) {
        if (!has(key)) {
            return fallback;
        }
        double d = parse(key, Double::parseDouble, "a number");
        if (!Double.isFinite(d)) {
            throw new ConfigException(key, "must be a finite number, got '" + values.get(key) + "'");
        }
        return d;
    }

    public boolean bool(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        String v = values.get(key).trim().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new ConfigException(key, "expected true or false, got '" + values.get(key) + "'");
    }

    /** Durations as ISO-8601 ({@code PT15M}) or a number with unit: {@code 500ms}, {@code 30s}, {@code 15min}, {@code 2h}, {@code 7d}. */
    public Duration duration(String key, Duration fallback) {
        return has(key) ? parse(key, Settings::parseDuration, "a duration such as 30s, 15min, 2h or PT15M") : fallback;
    }

    /**
     * A storage location: a URI with a scheme ({@code hdfs://namenode:8020/imlma/models}, {@code file:///var/imlma})
     * or a local path, which becomes an absolute {@code file:} URI.
     */
    public URI uri(String key) {
        String raw = string(key);
        try {
            URI uri = new URI(raw);
            if (uri.getScheme() != null && uri.getScheme().length() > 1) { // a drive letter is not a scheme
                return uri;
            }
        } catch (URISyntaxException e) {
            // not a URI: a path, perhaps
        }
        try {
            return Path.of(raw).toAbsolutePath().normalize().toUri();
        } catch (InvalidPathException e) {
            throw new ConfigException(key, "not a URI or path: '" + raw + "'");
        }
    }

    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E fallback) {
        if (!has(key)) {
            return fallback;
        }
        String v = values.get(key).trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return Enum.valueOf(type, v);
        } catch (IllegalArgumentException e) {
            Set<String> allowed = new TreeSet<>();
            for (E c : type.getEnumConstants()) {
                allowed.add(c.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            }
            throw new ConfigException(key, "expected one of " + allowed + ", got '" + values.get(key) + "'");
        }
    }

    /** Fails when {@code ok} is false, with a message naming the setting. */
    public static void require(boolean ok, String key, String problem) {
        if (!ok) {
            throw new ConfigException(key, problem);
        }
    }

    private <T> T parse(String key, Function<String, T> parser, String expected) {
        String raw = values.get(key).trim();
        try {
            return parser.apply(raw);
        } catch (RuntimeException e) {
            throw new ConfigException(key, "expected " + expected + ", got '" + raw + "'");
        }
    }

    static Duration parseDuration(String raw) {
        String s = raw.trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("p")) {
            try {
                return Duration.parse(raw.trim().toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(e);
            }
        }
        int split = 0;
        while (split < s.length() && (Character.isDigit(s.charAt(split)) || s.charAt(split) == '.')) {
            split++;
        }
        if (split == 0) {
            throw new IllegalArgumentException("no number in " + raw);
        }
        double amount = Double.parseDouble(s.substring(0, split));
        String unit = s.substring(split).trim();
        double millis = switch (unit) {
            case "ms" -> amount;
            case "s", "sec", "" -> amount * 1_000;
            case "m", "min" -> amount * 60_000;
            case "h" -> amount * 3_600_000;
            case "d" -> amount * 86_400_000;
            default -> throw new IllegalArgumentException("unknown unit " + unit);
        };
        return Duration.ofMillis(Math.round(millis));
    }
}
