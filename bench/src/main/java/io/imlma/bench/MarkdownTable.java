package io.imlma.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A GitHub-flavoured markdown table, built row by row. */
public final class MarkdownTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public MarkdownTable(String... header) {
        this.header = Arrays.stream(header).map(MarkdownTable::escaped).toList();
    }

    public MarkdownTable row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("expected " + header.size() + " cells, got " + cells.length);
        }
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            row.add(cell instanceof Double d ? number(d) : escaped(String.valueOf(cell)));
        }
        rows.add(row);
        return this;
    }

    /** A pipe inside a cell would end it. */
    private static String escaped(String cell) {
        return cell.replace("|", "\\|");
    }

    public int size() {
        return rows.size();
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("| ").append(String.join(" | ", header)).append(" |\n");
        sb.append("|").append("---|".repeat(header.size())).append("\n");
        for (List<String> row : rows) {
            sb.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return sb.toString();
    }

    public static String number(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        double a = Math.abs(value);
        return String.format(Locale.ROOT, a != 0 && (a < 0.01 || a >= 1e5) ? "%.3g" : "%.3f", value);
    }

    public static String percent(double fraction) {
        return Double.isNaN(fraction) ? "n/a" : String.format(Locale.ROOT, "%.1f %%", 100 * fraction);
    }
}
