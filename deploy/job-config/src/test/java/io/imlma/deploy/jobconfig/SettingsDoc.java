package io.imlma.deploy.jobconfig;

import io.imlma.api.ApiServer;
import io.imlma.common.config.Catalogue;
import io.imlma.common.config.Option;
import io.imlma.jobs.JobSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes docs/settings.md and the list of every deployed program's settings ({@link Catalogue#allPrograms}) from the
 * programs' catalogues; {@link SettingsDocTest} fails when the committed files differ from what this writes.
 * Run from the repository root: {@value #COMMAND}.
 */
public final class SettingsDoc {
    static final String COMMAND = "mvn -B -ntp -pl deploy/job-config -am -DskipTests install && mvn -B -ntp -q"
            + " -pl deploy/job-config exec:java -Dexec.mainClass=io.imlma.deploy.jobconfig.SettingsDoc"
            + " -Dexec.classpathScope=test -Dexec.args=$PWD";
    static final String DOC = "docs/settings.md";
    static final String NAMES = "common/src/main/resources" + Catalogue.ALL_PROGRAMS_RESOURCE;

    private SettingsDoc() {}

    /** The deployed programs, each with the catalogue its main checks its settings against. */
    static List<Catalogue> programs() {
        return List.of(JobSettings.meterPipelineJob(), JobSettings.retrainJob(), JobSettings.verifySnapshotJob(),
                ApiServer.settings());
    }

    /** The files this generates, by path relative to the repository root. */
    static Map<String, String> files() {
        return Map.of(DOC, markdown(programs()), NAMES, Catalogue.names(programs()));
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        for (Map.Entry<String, String> file : files().entrySet()) {
            Files.writeString(root.resolve(file.getKey()), file.getValue());
            System.out.println("wrote " + root.resolve(file.getKey()));
        }
    }

    private record Row(String type, String defaultText, String description, Set<String> programs) {}

    static String markdown(List<Catalogue> programs) {
        Map<String, Row> rows = new TreeMap<>();
        List<Catalogue.Family> families = new ArrayList<>();
        Map<String, Set<String>> familyPrograms = new LinkedHashMap<>();
        for (Catalogue program : programs) {
            for (Option<?> o : program.options()) {
                rows.computeIfAbsent(o.key(), k -> new Row(o.type(), o.defaultText(), o.description(),
                        new TreeSet<>())).programs().add(program.program());
            }
            for (Catalogue.Family f : program.families()) {
                if (!familyPrograms.containsKey(f.template())) {
                    families.add(f);
                }
                familyPrograms.computeIfAbsent(f.template(), t -> new TreeSet<>()).add(program.program());
            }
        }
        StringBuilder out = new StringBuilder("""
                # Settings

                <!-- generated from the programs' settings catalogues by io.imlma.deploy.jobconfig.SettingsDoc; do not
                     edit: change the options where they are declared and regenerate (see SettingsDoc) -->

                Every program reads `--name value` or `--name=value` settings and `--config <file>`, a properties
                file of defaults (the command line wins); `--help` lists a program's settings. Each component declares
                its settings once (`io.imlma.common.config.Option`: key, type, default, checks, description); a
                program's catalogue is the union of its components' (`io.imlma.common.config.Catalogue`). A program
                refuses to start on a setting it does not know, naming it and the closest known one: on the command
                line a key must be the program's own, in the `--config` file (shared by all programs: the Kubernetes
                ConfigMap imlma-job-config) any deployed program's.

                | setting | type | default | programs | description |
                |---|---|---|---|---|
                """);
        rows.forEach((key, r) -> out.append(String.format("| `%s` | %s | %s | %s | %s |%n", key, cell(r.type()),
                cell(r.defaultText()), String.join(", ", r.programs()), cell(r.description()))));
        for (Catalogue.Family f : families) {
            out.append(String.format("| `%s` | | | %s | %s |%n", f.template(),
                    String.join(", ", familyPrograms.get(f.template())), cell(f.description())));
        }
        return out.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
