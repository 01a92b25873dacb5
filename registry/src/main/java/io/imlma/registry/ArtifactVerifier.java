package io.imlma.registry;

/**
 * Checks a model artifact against its recorded SHA-256 before the version is served (and restores it from a
 * backup copy if the implementation can). The registry calls it before promoting or rolling back to a version
 * and when handing out the champion for serving; any exception means the artifact must not be served.
 */
@FunctionalInterface
public interface ArtifactVerifier {
    void verify(String artifactPath, String expectedSha256) throws Exception;
}
