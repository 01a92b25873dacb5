package io.imlma.common.types;

/** A new champion is available: streaming scorers load it (after checking its SHA-256) and swap without restart. */
public record ModelUpdate(String modelName, int version, String artifactPath, String sha256, long publishedAt) {}
