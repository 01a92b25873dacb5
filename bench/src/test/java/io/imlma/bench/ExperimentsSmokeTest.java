package io.imlma.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.imlma.common.config.Settings;
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

/** Runs the quick mode into a temporary directory and checks the page's form, not its values. */
class ExperimentsSmokeTest {
    private static final Pattern FIGURE = Pattern.compile("!\\[[^]]*]\\((figures/[^)]+\\.png)\\)");

    @Test
    void quickModeWritesEveryExperimentWithWellFormedTablesAndFigures(@TempDir Path out) throws Exception {
        Path page = Experiments.run(ExperimentConfig.from(new Settings(java.util.Map.of(
                "mode", "quick", "out", out.toString()))), "--mode quick");

        String markdown = Files.readString(page);
        List<String> headings = markdown.lines().filter(l -> l.startsWith("## ")).toList();
        for (String section : Experiments.SECTIONS) {
            assertThat(headings).as("section %s", section).anyMatch(h -> h.startsWith("## " + section));
        }

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
