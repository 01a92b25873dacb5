package io.imlma.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.imlma.bench.cli.Arguments;
import io.imlma.common.ett.EttFiles;
import io.imlma.ml.data.BundledData;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the quick mode into a temporary directory and checks the page's form, not its values. The input is a plain
 * (uncompressed) copy of the bundled data: the experiments read plain and gzip CSV alike.
 */
class ExperimentsSmokeTest {
    private static final Pattern FIGURE = Pattern.compile("!\\[[^]]*]\\((figures/[^)]+\\.png)\\)");

    @Test
    void quickModeWritesEveryExperimentWithWellFormedTablesAndFigures(@TempDir Path out) throws Exception {
        Path plain = out.resolve("ETTm1.csv");
        try (var in = EttFiles.reader(BundledData.ettm1())) {
            Files.write(plain, in.lines().toList());
        }
        ExperimentConfig config = ExperimentConfig.from(Arguments.of("--mode", "quick", "--out", out.toString(),
                "--input", plain.toString()));
        Path page = Experiments.run(config, "--mode quick");

        String markdown = Files.readString(page);
        List<String> headings = markdown.lines().filter(l -> l.startsWith("## ")).toList();
        for (String section : Experiments.SECTIONS) {
            assertThat(headings).as("section %s", section).anyMatch(h -> h.startsWith("## " + section));
            assertThat(section(markdown, section)).as("reading of %s", section).contains("\n**Reading.** ");
        }
        assertThat(section(markdown, "Where this system differs from the paper").lines()
                .filter(l -> l.startsWith("- **")).count()).as("differences").isGreaterThanOrEqualTo(
                Experiments.SECTIONS.size());

        List<List<String>> tables = tables(markdown);
        assertThat(tables).hasSizeGreaterThanOrEqualTo(Experiments.SECTIONS.size());
        for (List<String> table : tables) {
            int columns = cells(table.get(0)).size();
            assertThat(table.get(1)).as("separator of %s", table.get(0)).matches("\\|(---\\|)+");
            assertThat(table.get(1).split("---", -1)).hasSize(columns + 1);
            assertThat(table.size()).as("rows of %s", table.get(0)).isGreaterThan(2);
            for (String row : table.subList(2, table.size())) {
                assertThat(cells(row)).as("row %s", row).hasSize(columns).allMatch(c -> !c.isBlank());
            }
        }

        checkTriggerToServing(tables(section(markdown, "Time from trigger")), config.latencyRetrainings());

        Matcher figures = FIGURE.matcher(markdown);
        int count = 0;
        while (figures.find()) {
            Path png = out.resolve(figures.group(1));
            BufferedImage image = ImageIO.read(png.toFile());
            assertThat(image).as("decoded %s", png).isNotNull();
            assertThat(image.getWidth()).isGreaterThan(100);
            assertThat(image.getHeight()).isGreaterThan(100);
            count++;
        }
        assertThat(count).isEqualTo(3); // tuning, stability, API latency
    }

    /**
     * Per request: seconds after the decision, or – for a step that did not happen, steps in order; a version that
     * served was promoted first; the retrainings asked for are there. Per phase: every mean and max is a number.
     */
    private static void checkTriggerToServing(List<List<String>> tables, int retrainings) {
        assertThat(tables).hasSizeGreaterThanOrEqualTo(2);
        List<String> requests = tables.get(0);
        assertThat(cells(requests.get(0))).containsExactly("#", "reason", "training data (days, up to)",
                "launch started", "version registered", "promoted", "launch finished", "first forecast", "outcome");
        int registered = 0;
        for (String row : requests.subList(2, requests.size())) {
            List<String> c = cells(row);
            assertThat(c.get(1)).isIn("VOLUME", "SCHEDULE", "MANUAL", "DRIFT");
            double finished = seconds(c.get(6));
            assertThat(finished).as("launch finished, %s", row).isGreaterThanOrEqualTo(seconds(c.get(3)));
            if (c.get(8).matches("v\\d+ promoted")) {
                registered++;
                assertThat(seconds(c.get(5))).as("promoted, %s", row).isBetween(seconds(c.get(4)), finished);
                assertThat(seconds(c.get(7))).as("first forecast, %s", row).isGreaterThanOrEqualTo(finished);
            } else if (c.get(8).matches("v\\d+ rejected by the replacement rule")) {
                registered++;
                assertThat(c.get(5)).isEqualTo("–");
                assertThat(c.get(7)).isEqualTo("–");
            } else {
                assertThat(c.get(8)).as("outcome").matches("(failed|timed_out|canceled): .+");
            }
        }
        assertThat(registered).as("retrainings that registered a version").isEqualTo(retrainings);
        for (String row : tables.get(1).subList(2, tables.get(1).size())) {
            List<String> c = cells(row);
            if (!c.get(3).equals("0")) {
                assertThat(seconds(c.get(1))).as("mean of %s", c.get(0)).isLessThanOrEqualTo(seconds(c.get(2)));
            }
        }
    }

    /** A number of seconds in a cell. */
    private static double seconds(String cell) {
        assertThat(cell).matches("-?\\d+(\\.\\d+)?(e-?\\d+)?");
        return Double.parseDouble(cell);
    }

    /** The text of the section whose heading starts with {@code title}, up to the next heading. */
    private static String section(String markdown, String title) {
        int start = markdown.indexOf("\n## " + title);
        assertThat(start).as("section %s", title).isNotNegative();
        int end = markdown.indexOf("\n## ", start + 1);
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }

    /** Consecutive lines starting with '|', as tables. */
    private static List<List<String>> tables(String markdown) {
        List<List<String>> tables = new ArrayList<>();
        List<String> current = null;
        for (String line : markdown.lines().toList()) {
            if (line.startsWith("|")) {
                if (current == null) {
                    current = new ArrayList<>();
                    tables.add(current);
                }
                current.add(line);
            } else {
                current = null;
            }
        }
        return tables;
    }

    /** Cells of a row, honouring escaped pipes. */
    private static List<String> cells(String row) {
        assertThat(row).startsWith("| ").endsWith(" |");
        String inner = row.substring(1, row.length() - 1);
        List<String> cells = new ArrayList<>();
        for (String cell : inner.split("(?<!\\\\)\\|", -1)) {
            cells.add(cell.trim());
        }
        return cells;
    }
}
