package io.imlma.common.integrity;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;

/**
 * What a complete snapshot partition holds: each committed file with its row count, byte size and SHA-256.
 * Stored as {@code _MANIFEST.json} inside the partition directory; readers use the files it lists, never a
 * directory listing, so a file that appears later (a late row) is never read unverified.
 *
 * @param schemaVersion version of this format and of the row encoding ({@link #SCHEMA_VERSION})
 * @param partitionId   directory name of the partition, e.g. {@code dt=2016-07-01}
 * @param rangeStart    event-time start of the partition, epoch ms (inclusive)
 * @param rangeEnd      event-time end of the partition, epoch ms (exclusive)
 * @param files         the partition's files, paths relative to the partition directory
 * @param createdAt     when the manifest was written
 */
public record SnapshotManifest(
        int schemaVersion, String partitionId, long rangeStart, long rangeEnd, List<ManifestFile> files,
        Instant createdAt) {

    public static final int SCHEMA_VERSION = 1;
    public static final String FILE_NAME = "_MANIFEST.json";

    public SnapshotManifest {
        files = List.copyOf(files);
    }

    /**
     * One file of a partition.
     *
     * @param path   relative to the partition directory
     * @param rows   rows (lines) in the file
     * @param bytes  size in bytes
     * @param sha256 lower-case hex SHA-256 of the content
     */
    public record ManifestFile(String path, long rows, long bytes, String sha256) {}

    @JsonIgnore
    public long rows() {
        return files.stream().mapToLong(ManifestFile::rows).sum();
    }

    /** Same partition and same file contents; {@code createdAt} is ignored, so a replayed write is recognised. */
    public boolean sameContentAs(SnapshotManifest other) {
        return other != null && partitionId.equals(other.partitionId) && rangeStart == other.rangeStart
                && rangeEnd == other.rangeEnd && files.equals(other.files);
    }
}
