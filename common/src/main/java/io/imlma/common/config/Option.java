package io.imlma.common.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One setting, declared once by the component that reads it: key, type, default (or none: then it is required, or
 * read with {@link #find}), checks with the problem each reports, and a one-line description. {@link #value} parses
 * with {@link Settings}' parsers, so every value format Settings accepts is accepted here, and fails with a
 * {@link ConfigException} naming the key. The same declaration feeds the {@link Catalogue}'s unknown-key check,
 * the {@code --help} listings and docs/settings.md.
 *
 * <pre>{@code
 * Option<Duration> WINDOW = Option.duration("window.size").defaultValue(Duration.ofMinutes(15))
 *         .check(d -> !d.isNegative() && !d.isZero(), "must be positive").description("Length of a window.");
 * }</pre>
 */
public final class Option<T> {
    private final String key;
    private final String type;
    private final BiFunction<Settings, String, T> parser;
    private final Function<T, String> format;
    private final T defaultValue;
    private final String defaultText;
    private final List<Check<T>> checks;
    private final String description;

    private record Check<T>(Predicate<T> ok, String problem) {}

    private Option(Builder<T> b, String description) {
        this.key = b.key;
        this.type = b.type;
        this.parser = b.parser;
        this.format = b.format;
        this.defaultValue = b.defaultValue;
        this.defaultText = b.defaultText;
        this.checks = List.copyOf(b.checks);
        this.description = description;
    }

    private Option(Option<T> o, String key) {
        this.key = key;
        this.type = o.type;
        this.parser = o.parser;
        this.format = o.format;
        this.defaultValue = null;
        this.defaultText = null;
        this.checks = o.checks;
        this.description = o.description;
    }

    /**
     * This option's type and checks under another key, without a default: a run-time name of a declared pattern
     * ({@code monitor.latency.raise-after} for the shared {@code monitor.hysteresis.raise-after}), read with
     * {@link #find} and falling back to this one.
     */
    public Option<T> under(String otherKey) {
        return new Option<>(this, otherKey);
    }

    public static Builder<String> string(String key) {
        return new Builder<>(key, "string", (s, k) -> s.string(k), String::valueOf);
    }

    public static Builder<Integer> integer(String key) {
        return new Builder<>(key, "integer", (s, k) -> s.integer(k, 0), String::valueOf);
    }

    public static Builder<Long> longValue(String key) {
        return new Builder<>(key, "integer", (s, k) -> s.longValue(k, 0L), String::valueOf);
    }

    public static Builder<Double> decimal(String key) {
        return new Builder<>(key, "number", (s, k) -> s.decimal(k, 0), String::valueOf);
    }

    public static Builder<Boolean> bool(String key) {
        return new Builder<>(key, "boolean", (s, k) -> s.bool(k, false), String::valueOf);
    }

    /** Durations as {@link Settings#duration} reads them: {@code 500ms}, {@code 30s}, {@code 15min}, {@code 2h}, {@code 7d}, {@code PT15M}. */
    public static Builder<Duration> duration(String key) {
        return new Builder<>(key, "duration", (s, k) -> s.duration(k, Duration.ZERO), Option::formatDuration);
    }

    /** A storage location as {@link Settings#uri} reads it: a URI with a scheme, or a local path. */
    public static Builder<URI> uri(String key) {
        return new Builder<>(key, "URI or path", (s, k) -> s.uri(k), String::valueOf);
    }

    /** An enum constant, written in lower case with dashes ({@code flink-client} for {@code FLINK_CLIENT}). */
    public static <E extends Enum<E>> Builder<E> enumValue(String key, Class<E> type) {
        String allowed = Stream.of(type.getEnumConstants()).map(Option::enumText).collect(Collectors.joining("|"));
        return new Builder<>(key, allowed, (s, k) -> s.enumValue(k, type, null), Option::enumText);
    }

    /** The setting's value; its default when absent; fails naming the key when it is invalid or required and absent. */
    public T value(Settings settings) {
        return find(settings).or(() -> Optional.ofNullable(defaultValue))
                .orElseThrow(() -> new ConfigException(key, "required but not set" + (description.isEmpty() ? ""
                        : " (" + description + ")")));
    }

    /** The setting's value when it is set (checked), else empty: for settings without a default that not every use needs. */
    public Optional<T> find(Settings settings) {
        if (!settings.has(key)) {
            return Optional.empty();
        }
        T value = parser.apply(settings, key);
        for (Check<T> check : checks) {
            if (!check.ok().test(value)) {
                throw new ConfigException(key, check.problem() + ", got '" + settings.string(key) + "'");
            }
        }
        return Optional.of(value);
    }

    public String key() {
        return key;
    }

    /** What the value is, for listings: {@code duration}, {@code integer}, {@code local|flink-client|kubernetes}, .... */
    public String type() {
        return type;
    }

    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** The default as a value would be written, or what stands in for it ({@code required}, a derived default). */
    public String defaultText() {
        if (defaultText != null) {
            return defaultText;
        }
        return defaultValue == null ? "(required)" : format.apply(defaultValue);
    }

    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return key;
    }

    private static String enumText(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A duration in the shortest unit Settings reads back exactly: {@code 15min} rather than {@code PT15M}. */
    static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 86_400_000 == 0) {
            return ms / 86_400_000 + "d";
        } else if (ms != 0 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        } else if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "min";
        } else if (ms % 1_000 == 0) {
            return ms / 1_000 + "s";
        }
        return ms + "ms";
    }

    /** Declares an option; {@link #description} ends the declaration, so every option has one. */
    public static final class Builder<T> {
        private final String key;
        private final String type;
        private final BiFunction<Settings, String, T> parser;
        private final Function<T, String> format;
        private T defaultValue;
        private String defaultText;
        private final List<Check<T>> checks = new ArrayList<>();

        private Builder(String key, String type, BiFunction<Settings, String, T> parser, Function<T, String> format) {
            this.key = Objects.requireNonNull(key);
            this.type = type;
            this.parser = parser;
            this.format = format;
        }

        public Builder<T> defaultValue(T value) {
            this.defaultValue = Objects.requireNonNull(value, "a default value; leave it out for a required option");
            return this;
        }

        /**
         * What the listings show as the default when there is no fixed one: the option is then read with
         * {@link Option#find} and the reader derives the value (e.g. "the number of lags", "unset: no Kafka").
         */
        public Builder<T> defaultText(String text) {
            this.defaultText = text;
            return this;
        }

        /** A condition the value must meet; {@code problem} says what is wrong when it does not ("must be positive"). */
        public Builder<T> check(Predicate<T> ok, String problem) {
            checks.add(new Check<>(ok, problem));
            return this;
        }

        public Option<T> description(String description) {
            Option<T> option = new Option<>(this, description);
            if (defaultValue != null) {
                for (Check<T> check : checks) {
                    if (!check.ok().test(defaultValue)) {
                        throw new IllegalStateException(key + ": default " + defaultValue + " " + check.problem());
                    }
                }
            }
            return option;
        }
    }
}
