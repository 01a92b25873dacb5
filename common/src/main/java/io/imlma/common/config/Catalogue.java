package io.imlma.common.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * The settings one program knows: the union of its components' {@link Option} lists, the prefixes of pass-through
 * maps ({@code kafka.properties.} for Kafka client properties) and the patterns of names assembled at run time
 * ({@code monitor.<name>.raise-after}). {@link #check} fails at start on a key it does not know, naming the key and
 * the closest known one, so a misspelt setting is not silently left at its default. The listings ({@link #help}, docs/settings.md)
 * are generated from the same declarations.
 */
public final class Catalogue {
    /** A pass-through map or a family of run-time names, documented by one line. */
    public record Family(String template, String description, Pattern pattern) {}

    private static final LevenshteinDistance LEVENSHTEIN = LevenshteinDistance.getDefaultInstance();
    private static final Pattern PLACEHOLDER = Pattern.compile("<[^>]+>");

    private final String program;
    private final Map<String, Option<?>> options = new LinkedHashMap<>();
    private final List<Family> families = new ArrayList<>();
    /** Keys known by name only: those of {@link #allPrograms}, read from a list of names. */
    private final Set<String> otherKeys = new TreeSet<>();

    private Catalogue(String program) {
        this.program = program;
    }

    /** An empty catalogue for {@code program} (its name in listings, e.g. {@code MeterPipelineJob}). */
    public static Catalogue of(String program) {
        return new Catalogue(program);
    }

    /** Adds a component's options; a key two components read (the same setting) is listed once, as the first declares it. */
    public Catalogue with(Collection<? extends Option<?>> componentOptions) {
        componentOptions.forEach(o -> options.putIfAbsent(o.key(), o));
        return this;
    }

    /** Adds all of another catalogue: a program that runs another's components (a launcher runs the retraining). */
    public Catalogue with(Catalogue other) {
        other.options.values().forEach(o -> options.putIfAbsent(o.key(), o));
        families.addAll(other.families);
        otherKeys.addAll(other.otherKeys);
        return this;
    }

    /** Keys under {@code prefix} pass through to a library (e.g. {@code kafka.properties.} to the Kafka client). */
    public Catalogue prefix(String prefix, String description) {
        families.add(new Family(prefix + "*", description, Pattern.compile(Pattern.quote(prefix) + ".+")));
        return this;
    }

    /** Names assembled at run time, {@code <placeholder>} standing for one name part: {@code monitor.<name>.raise-after}. */
    public Catalogue pattern(String template, String description) {
        StringBuilder regex = new StringBuilder();
        int at = 0;
        var m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(at, m.start()))).append("[a-z0-9-]+");
            at = m.end();
        }
        regex.append(Pattern.quote(template.substring(at)));
        families.add(new Family(template, description, Pattern.compile(regex.toString())));
        return this;
    }

    public String program() {
        return program;
    }

    public List<Option<?>> options() {
        return List.copyOf(options.values());
    }

    public List<Family> families() {
        return List.copyOf(families);
    }

    public boolean knows(String key) {
        return key.equals(Settings.CONFIG_FILE) || options.containsKey(key) || otherKeys.contains(key)
                || families.stream().anyMatch(f -> f.pattern().matcher(key).matches());
    }

    /** The given keys this program does not know, in order. */
    public Set<String> unknown(Collection<String> keys) {
        Set<String> unknown = new TreeSet<>(keys);
        unknown.removeIf(this::knows);
        return unknown;
    }

    /**
     * A program's settings from its command line ({@link Settings#fromArgs}), checked; empty when {@code --help} or
     * {@code -h} asked for the listing, which is then printed to standard output. A key on the command line must be
     * one of this program's. The {@value Settings#CONFIG_FILE} file is shared by all programs (in Kubernetes the
     * ConfigMap imlma-job-config), so a key there must be one of this program's or of another deployed program's
     * ({@link #allPrograms}).
     */
    public Optional<Settings> start(String... args) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(help());
            return Optional.empty();
        }
        Map<String, String> commandLine = Settings.commandLine(args);
        check(new Settings(commandLine));
        Settings settings = Settings.fromArgs(args);
        Map<String, String> file = new LinkedHashMap<>(settings.asMap());
        file.keySet().removeAll(commandLine.keySet());
        of(program + " or any other program (in " + commandLine.get(Settings.CONFIG_FILE) + ")").with(this)
                .with(allPrograms()).check(new Settings(file));
        return Optional.of(settings);
    }

    /** Where {@link #allPrograms} is kept: generated with docs/settings.md from the programs' catalogues. */
    public static final String ALL_PROGRAMS_RESOURCE = "/io/imlma/common/config/all-programs-settings.txt";

    /**
     * The settings of every deployed program (streaming job, retraining, API), by name: keys, {@code prefix.*} and
     * {@code name.<part>.name} templates, one a line, from {@link #ALL_PROGRAMS_RESOURCE}. Programs live in modules
     * that cannot see each other's declarations, so this list is generated from them and a test keeps it current.
     */
    public static Catalogue allPrograms() {
        try (InputStream in = Catalogue.class.getResourceAsStream(ALL_PROGRAMS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(ALL_PROGRAMS_RESOURCE + " is not on the classpath");
            }
            return fromNames("any program", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A catalogue of the names {@link #names} wrote. */
    static Catalogue fromNames(String program, String names) {
        Catalogue catalogue = of(program);
        for (String line : names.split("\n")) {
            String name = line.strip();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            } else if (name.endsWith("*")) {
                catalogue.prefix(name.substring(0, name.length() - 1), "");
            } else if (name.contains("<")) {
                catalogue.pattern(name, "");
            } else {
                catalogue.otherKeys.add(name);
            }
        }
        return catalogue;
    }

    /** The lines of {@link #ALL_PROGRAMS_RESOURCE} for these catalogues: every key and template, sorted. */
    public static String names(Collection<Catalogue> catalogues) {
        Set<String> names = new TreeSet<>();
        for (Catalogue c : catalogues) {
            names.addAll(c.options.keySet());
            names.addAll(c.otherKeys);
            c.families.forEach(f -> names.add(f.template()));
        }
        return "# generated from the programs' settings catalogues with docs/settings.md (see there); do not edit\n"
                + String.join("\n", names) + "\n";
    }

    /** Fails with a {@link ConfigException} naming the first unknown key (and the closest known one), if any. */
    public Settings check(Settings settings) {
        Set<String> unknown = unknown(settings.asMap().keySet());
        if (!unknown.isEmpty()) {
            String key = unknown.iterator().next();
            String others = unknown.size() == 1 ? "" : " (other unknown settings: "
                    + String.join(", ", unknown.stream().skip(1).toList()) + ")";
            throw new ConfigException(key, "not a setting of " + program
                    + suggestion(key).map(s -> "; did you mean '" + s + "'?").orElse("; see --help")
                    + others);
        }
        return settings;
    }

    /** The known key closest to {@code key}, if one is close enough to be a misspelling of it. */
    public Optional<String> suggestion(String key) {
        List<String> known = new ArrayList<>(options.keySet());
        known.addAll(otherKeys);
        families.forEach(f -> known.add(f.template()));
        int limit = Math.max(2, key.length() / 3);
        return known.stream()
                .map(k -> Map.entry(k, LEVENSHTEIN.apply(key.toLowerCase(Locale.ROOT), k)))
                .filter(e -> e.getValue() <= limit)
                .min(Comparator.comparing(Map.Entry<String, Integer>::getValue).thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getKey);
    }

    /** The {@code --help} listing: one line per setting, sorted by key: key, type, default, description. */
    public String help() {
        List<String[]> rows = new ArrayList<>();
        options.values().stream().sorted(Comparator.comparing(Option::key)).forEach(o ->
                rows.add(new String[] {"--" + o.key(), o.type(), o.defaultText(), o.description()}));
        families.forEach(f -> rows.add(new String[] {"--" + f.template(), "", "", f.description()}));
        int[] width = new int[3];
        rows.forEach(r -> {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        });
        StringBuilder out = new StringBuilder("settings of " + program + " (--name value, --name=value or"
                + " --config <properties file>):" + System.lineSeparator());
        for (String[] r : rows) {
            out.append(String.format(Locale.ROOT, "  %-" + width[0] + "s  %-" + width[1] + "s  %-" + width[2]
                    + "s  %s", r[0], r[1], r[2], r[3]).stripTrailing()).append(System.lineSeparator());
        }
        return out.toString();
    }
}
