package io.imlma.ml.data;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the bundled {@code data/ETTm1.csv.gz} from the working directory or one of its parents. */
public final class BundledData {
    public static final String ETTM1 = "data/ETTm1.csv.gz";

    private BundledData() {}

    public static Path ettm1() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(ETTM1);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(ETTM1 + " not found in " + Path.of("").toAbsolutePath() + " or its parents");
    }
}
