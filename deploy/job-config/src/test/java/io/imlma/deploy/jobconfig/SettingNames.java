package io.imlma.deploy.jobconfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The setting names the programs' sources spell out: dotted lower-case string literals (the setting constants and
 * the names read in place, such as {@code "kafka.topic.readings"}) and the prefixes given to
 * {@code Settings.withPrefix}. Settings does not record which keys a program read, so this is the check that a
 * configured key is one the programs know; it cannot see names assembled at run time (the monitors'
 * {@code monitor.<monitor>.raise-after}), which the configuration therefore leaves at their defaults.
 */
record SettingNames(Set<String> literals, Set<String> prefixes) {
    private static final Pattern LITERAL = Pattern.compile("\"([a-z][a-z0-9-]*(?:\\.[a-z0-9-]+)+)\"");
    private static final Pattern PREFIX = Pattern.compile("withPrefix\\(\"([^\"]+)\"\\)");

    static SettingNames inSources(Path root, List<String> modules) {
        Set<String> literals = new TreeSet<>();
        Set<String> prefixes = new TreeSet<>();
        for (String module : modules) {
            Path sources = root.resolve(module).resolve("src/main/java");
            if (!Files.isDirectory(sources)) {
                throw new IllegalStateException("no sources at " + sources);
            }
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String source = Files.readString(file);
                    collect(LITERAL.matcher(source), literals);
                    collect(PREFIX.matcher(source), prefixes);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new SettingNames(literals, prefixes);
    }

    /** The keys that are neither a literal setting name nor under a prefix the programs read. */
    Set<String> unread(Set<String> keys) {
        Set<String> unread = new TreeSet<>(keys);
        unread.removeIf(key -> literals.contains(key) || prefixes.stream().anyMatch(key::startsWith));
        return unread;
    }

    private static void collect(Matcher matcher, Set<String> into) {
        while (matcher.find()) {
            into.add(matcher.group(1));
        }
    }
}
