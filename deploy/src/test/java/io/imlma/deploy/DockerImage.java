package io.imlma.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What k8s/Dockerfile puts into the image: its lines, and where each {@code COPY} takes a file from and puts it. */
public final class DockerImage {
    private static final Pattern COPY = Pattern.compile("COPY\\s+(\\S+)\\s+(\\S+)");

    private DockerImage() {}

    public static List<String> lines() {
        try {
            return Files.readAllLines(RepoFiles.resolve("k8s/Dockerfile")).stream().map(String::strip).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The image path the Dockerfile copies {@code buildOutput} (a repository path) to. */
    public static String destinationOf(String buildOutput) {
        return copies().filter(m -> m.group(1).equals(buildOutput)).map(m -> m.group(2)).findFirst()
                .orElseThrow(() -> new AssertionError("k8s/Dockerfile does not COPY " + buildOutput));
    }

    /** The repository file the Dockerfile copies to {@code pathInImage}; it must have been built. */
    public static Path sourceOf(String pathInImage) {
        String source = copies().filter(m -> m.group(2).equals(pathInImage)).map(m -> m.group(1)).findFirst()
                .orElseThrow(() -> new AssertionError("k8s/Dockerfile puts nothing at " + pathInImage));
        return RepoFiles.resolve(source);
    }

    private static java.util.stream.Stream<Matcher> copies() {
        return lines().stream().map(COPY::matcher).filter(Matcher::matches);
    }
}
