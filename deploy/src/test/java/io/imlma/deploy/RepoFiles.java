package io.imlma.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the repository's deployable files; surefire passes the root as {@code imlma.repo.root}. */
public final class RepoFiles {
    private RepoFiles() {}

    public static Path root() {
        String configured = System.getProperty("imlma.repo.root");
        Path root = (configured != null ? Path.of(configured) : Path.of("..")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("pom.xml")) || !Files.isDirectory(root.resolve("flink-conf"))) {
            throw new IllegalStateException("not the repository root (no pom.xml and flink-conf/): " + root);
        }
        return root;
    }

    public static Path resolve(String relative) {
        Path path = root().resolve(relative);
        if (!Files.exists(path)) {
            throw new IllegalStateException("missing " + relative + " under " + root());
        }
        return path;
    }
}
