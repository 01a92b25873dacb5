package io.imlma.bench;

import java.util.ArrayList;
import java.util.List;

/** One experiment's part of the results page: markdown text, tables and figures, in order. */
public final class Section {
    private final String title;
    private final StringBuilder body = new StringBuilder();
    private final List<String> figures = new ArrayList<>();
    private final List<String> differences = new ArrayList<>();

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

    /** What the numbers above say, phrased by the experiment from its measured values. */
    public Section reading(String markdown) {
        body.append("**Reading.** ").append(markdown.strip()).append("\n\n");
        return this;
    }

    /** A way this system's result differs from the paper's, for the page's closing list. */
    public Section difference(String markdown) {
        differences.add(markdown.strip());
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

    public List<String> differences() {
        return List.copyOf(differences);
    }

    public String render() {
        return "## " + title + "\n\n" + body;
    }
}
