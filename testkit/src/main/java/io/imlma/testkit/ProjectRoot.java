package io.imlma.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** The project's root directory, found from the working directory (the module under test) upwards. */
public final class ProjectRoot {

    private ProjectRoot() {}

    /**
     * The directory holding {@code testkit/pom.xml}, at or above the working directory.
     *
     * @throws IllegalStateException outside the project
     */
    public static Path path() {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("testkit").resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no directory containing testkit/pom.xml at or above " + start
                + "; the tests' servers and data are only found from inside the project");
    }

    /** A file or directory of the project, by its path from the root. */
    public static Path resolve(String relativePath) {
        return path().resolve(relativePath);
    }
}
