package io.imlma.bench;

import java.util.ArrayList;
import java.util.List;

/** One experiment's part of the results page: markdown text, tables and figures, in order. */
public final class Section {
    private final String title;
    private final StringBuilder body = new StringBuilder();
    private final List<String> figures = new ArrayList<>();

    public Section(String title) {
        this.title = title;
    }

    public Section text(String markdown) {
        body.append(markdown.strip()).append("\n\n");
        return this;
    }

    public Section table(MarkdownTable table) {
        body.append(table.render()).append("\n");
        return this;
    }

    /** @param file PNG under {@code figures/} */
    public Section figure(String caption, String file) {
        body.append("![").append(caption).append("](figures/").append(file).append(")\n\n");
        figures.add(file);
        return this;
    }

    public String title() {
        return title;
    }

    public List<String> figures() {
        return List.copyOf(figures);
    }

    public String render() {
        return "## " + title + "\n\n" + body;
    }
}
