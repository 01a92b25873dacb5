package io.imlma.bench.cli;

import io.imlma.common.config.Catalogue;
import io.imlma.common.config.Option;
import io.imlma.common.config.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The command line of a benchmark: {@code --name value} settings, each read through this class as an {@link Option}
 * with its default and a description, so that {@code --help} lists exactly the options the benchmark reads, with the
 * defaults it uses, and a key the benchmark does not read fails before it runs, naming the key.
 */
public final class Arguments {
    /** What a benchmark's {@code main} does with its options once they are read. */
    @FunctionalInterface
    public interface Body<O> {
        void run(O options) throws Exception;
    }

    private final Settings settings;
    private final boolean help;
    private final List<Option<?>> options = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<Catalogue> readElsewhere = new ArrayList<>();

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
     * given, or runs {@code body}. Options are read in either case, so bad ones fail before anything runs, and so do
     * settings the benchmark does not read.
     */
    public static <O> void run(String[] args, String command, String summary, Function<Arguments, O> read,
            Body<O> body) throws Exception {
        Arguments arguments = of(args);
        O options = read.apply(arguments);
        if (arguments.helpAsked()) {
            System.out.print(arguments.usage(command, summary));
        } else {
            arguments.catalogue("bin/imlma " + command).check(arguments.settings);
            body.run(options);
        }
    }

    public int integer(String name, int fallback, String description) {
        return read(Option.integer(name).defaultValue(fallback).description(description));
    }

    public double decimal(String name, double fallback, String description) {
        return read(Option.decimal(name).defaultValue(fallback).description(description));
    }

    public String string(String name, String fallback, String description) {
        return read(Option.string(name).defaultValue(fallback).description(description));
    }

    /** A file; {@code fallback}, described by {@code fallbackText}, is looked for only when the option is absent. */
    public Path path(String name, String fallbackText, Supplier<Path> fallback, String description) {
        Option<String> option = Option.string(name).defaultText(fallbackText).description(description);
        options.add(option);
        return option.find(settings).map(Path::of).orElseGet(fallback);
    }

    /**
     * Further settings read elsewhere from {@link #settings()}: {@code settings} (e.g. the pipeline's catalogue),
     * described by one line of the usage.
     */
    public void note(String line, Catalogue settings) {
        notes.add(line);
        readElsewhere.add(settings);
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
        int width = options.stream().mapToInt(o -> o.key().length()).max().orElse(1);
        options.forEach(o -> usage.append(String.format(Locale.ROOT, "  --%-" + width + "s  %s (default %s)%n",
                o.key(), o.description(), o.defaultText())));
        notes.forEach(n -> usage.append("  ").append(n).append(System.lineSeparator()));
        return usage.toString();
    }

    /** The settings read so far: the options and the catalogues of the settings read elsewhere. */
    Catalogue catalogue(String program) {
        Catalogue catalogue = Catalogue.of(program).with(options);
        readElsewhere.forEach(catalogue::with);
        return catalogue;
    }

    private <T> T read(Option<T> option) {
        options.add(option);
        return option.value(settings);
    }
}
