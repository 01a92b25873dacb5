package io.imlma.bench.cli;

import io.imlma.common.config.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The command line of a benchmark: {@code --name value} settings, each read through this class with its default and
 * a description, so that {@code --help} lists exactly the options the benchmark reads, with the defaults it uses.
 */
public final class Arguments {
    /** What a benchmark's {@code main} does with its options once they are read. */
    @FunctionalInterface
    public interface Body<O> {
        void run(O options) throws Exception;
    }

    private record Option(String name, String fallback, String description) {}

    private final Settings settings;
    private final boolean help;
    private final List<Option> options = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private Arguments(Settings settings, boolean help) {
        this.settings = settings;
        this.help = help;
    }

    /** Parses {@code --name value} / {@code --name=value}; {@code --help} or {@code -h} anywhere asks for usage. */
    public static Arguments of(String... args) {
        List<String> rest = Arrays.stream(args).filter(a -> !a.equals("--help") && !a.equals("-h")).toList();
        return new Arguments(Settings.fromArgs(rest.toArray(String[]::new)), rest.size() < args.length);
    }

    /**
     * A benchmark's {@code main}: reads its options, then prints the usage of {@code command} when {@code --help} was
     * given, or runs {@code body}. Options are read in either case, so bad ones fail before anything runs.
     */
    public static <O> void run(String[] args, String command, String summary, Function<Arguments, O> read,
            Body<O> body) throws Exception {
        Arguments arguments = of(args);
        O options = read.apply(arguments);
        if (arguments.helpAsked()) {
            System.out.print(arguments.usage(command, summary));
        } else {
            body.run(options);
        }
    }

    public int integer(String name, int fallback, String description) {
        declare(name, Integer.toString(fallback), description);
        return settings.integer(name, fallback);
    }

    public double decimal(String name, double fallback, String description) {
        declare(name, Double.toString(fallback), description);
        return settings.decimal(name, fallback);
    }

    public String string(String name, String fallback, String description) {
        declare(name, fallback, description);
        return settings.string(name, fallback);
    }

    /** A file; {@code fallback}, described by {@code fallbackText}, is looked for only when the option is absent. */
    public Path path(String name, String fallbackText, Supplier<Path> fallback, String description) {
        declare(name, fallbackText, description);
        return settings.has(name) ? Path.of(settings.string(name)) : fallback.get();
    }

    /** Further settings read elsewhere from {@link #settings()}, described by one line of the usage. */
    public void note(String line) {
        notes.add(line);
    }

    /** All the settings given, for configuration classes that read their own (e.g. the pipeline's). */
    public Settings settings() {
        return settings;
    }

    public boolean helpAsked() {
        return help;
    }

    /** The options read so far, with their descriptions and defaults, and the notes. */
    public String usage(String command, String summary) {
        StringBuilder usage = new StringBuilder(String.format(Locale.ROOT,
                "usage: bin/imlma %s [--option value ...]%n%s%n%noptions:%n", command, summary));
        int width = options.stream().mapToInt(o -> o.name().length()).max().orElse(1);
        options.forEach(o -> usage.append(String.format(Locale.ROOT, "  --%-" + width + "s  %s (default %s)%n",
                o.name(), o.description(), o.fallback())));
        notes.forEach(n -> usage.append("  ").append(n).append(System.lineSeparator()));
        return usage.toString();
    }

    private void declare(String name, String fallback, String description) {
        options.add(new Option(name, fallback, description));
    }
}
