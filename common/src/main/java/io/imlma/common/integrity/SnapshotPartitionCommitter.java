package io.imlma.common.integrity;

import io.imlma.common.json.Json;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals a snapshot partition once all its rows are in committed files: computes each file's SHA-256, writes the
 * manifest atomically and copies files and manifest to the backup base. Every step is idempotent, so calling it
 * again after a failure (a replay) finishes the job without changing what is already right.
 */
public final class SnapshotPartitionCommitter {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotPartitionCommitter.class);

    private final IntegrityStore store;
    private final Clock clock;

    public SnapshotPartitionCommitter(IntegrityStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Seals the partition if its committed files hold exactly {@code expectedRows} rows; otherwise (files not yet
     * committed by the sink) returns empty and should be asked again after the next checkpoint.
     */
    public Optional<SnapshotManifest> tryCommit(String partitionId, TimeRange range, long expectedRows)
            throws IOException {
        String manifestRelative = partitionId + "/" + SnapshotManifest.FILE_NAME;
        SnapshotManifest manifest = existingManifest(store.primary(manifestRelative));
        if (manifest == null || manifest.rows() != expectedRows) {
            Optional<List<SnapshotManifest.ManifestFile>> listed = committedFiles(partitionId);
            if (listed.isEmpty()) {
                return Optional.empty();
            }
            List<SnapshotManifest.ManifestFile> files = listed.get();
            long rows = files.stream().mapToLong(SnapshotManifest.ManifestFile::rows).sum();
            if (rows != expectedRows) {
                LOG.debug("Partition {} not complete yet: {} rows committed of {}", partitionId, rows, expectedRows);
                return Optional.empty();
            }
            manifest = new SnapshotManifest(SnapshotManifest.SCHEMA_VERSION, partitionId, range.from(), range.to(),
                    files, clock.instant());
            AtomicFiles.write(store.primary(manifestRelative), Json.MAPPER.writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(manifest));
        }
        for (SnapshotManifest.ManifestFile file : manifest.files()) {
            store.backUp(partitionId + "/" + file.path(), file.sha256());
        }
        AtomicFiles.copy(store.primary(manifestRelative), store.backup(manifestRelative));
        LOG.info("Sealed snapshot partition {}: {} files, {} rows", partitionId, manifest.files().size(),
                manifest.rows());
        return Optional.of(manifest);
    }

    /** Rows in the partition's committed files; empty while the sink is renaming one (ask again later). */
    public OptionalLong committedRows(String partitionId) throws IOException {
        Optional<List<SnapshotManifest.ManifestFile>> files = committedFiles(partitionId);
        return files.isEmpty() ? OptionalLong.empty()
                : OptionalLong.of(files.get().stream().mapToLong(SnapshotManifest.ManifestFile::rows).sum());
    }

    /**
     * Files the sink has committed: FileSink's in-progress and pending files are hidden ('.'), ours start with '_'.
     * Empty when a file vanished while the directory was listed: the sink renamed it, so its commit is not over.
     */
    private Optional<List<SnapshotManifest.ManifestFile>> committedFiles(String partitionId) throws IOException {
        Path dir = store.primary(partitionId);
        FileSystem fs = dir.getFileSystem();
        List<SnapshotManifest.ManifestFile> files = new ArrayList<>();
        if (!fs.exists(dir)) {
            return Optional.of(files);
        }
        FileStatus[] statuses;
        try {
            statuses = fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            LOG.debug("Partition {} changed while it was listed; trying again later: {}", partitionId, e.getMessage());
            return Optional.empty();
        }
        for (FileStatus status : statuses) {
            String name = status.getPath().getName();
            if (status.isDir() || name.startsWith(".") || name.startsWith("_")) {
                continue;
            }
            FileDigest digest = FileDigest.of(status.getPath());
            files.add(new SnapshotManifest.ManifestFile(name, digest.lines(), digest.bytes(), digest.sha256()));
        }
        files.sort(Comparator.comparing(SnapshotManifest.ManifestFile::path));
        return Optional.of(files);
    }

    private static SnapshotManifest existingManifest(Path path) throws IOException {
        FileSystem fs = path.getFileSystem();
        if (!fs.exists(path)) {
            return null;
        }
        try (InputStream in = fs.open(path)) {
            return Json.MAPPER.readValue(in, SnapshotManifest.class);
        } catch (IOException e) {
            LOG.warn("Rewriting unreadable manifest {}: {}", path, e.toString());
            return null;
        }
    }
}
