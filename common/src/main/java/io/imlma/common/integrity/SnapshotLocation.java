package io.imlma.common.integrity;

import io.imlma.common.config.Option;
import io.imlma.common.config.Settings;
import java.io.Serializable;
import java.net.URI;
import java.util.List;

/**
 * Where the committed snapshots and their backup copies are, and how they are partitioned: the {@code snapshot.path},
 * {@code snapshot.backup-path} and {@code snapshot.partition} settings, read by the snapshot stage that writes them
 * and by everything that reads them.
 */
public record SnapshotLocation(URI snapshotPath, URI backupPath, PartitionGranularity granularity)
        implements Serializable {
    public static final Option<URI> PATH = Option.uri("snapshot.path")
            .description("Where the committed feature snapshots are written and read (hdfs://..., file:/... or a path).");
    public static final Option<URI> BACKUP_PATH = Option.uri("snapshot.backup-path")
            .description("The snapshots' backup copy, restored from on a checksum mismatch; must differ from snapshot.path.");
    public static final Option<PartitionGranularity> PARTITION = Option
            .enumValue("snapshot.partition", PartitionGranularity.class).defaultValue(PartitionGranularity.DAILY)
            .description("How snapshots are partitioned in time.");
    public static final List<Option<?>> OPTIONS = List.of(PATH, BACKUP_PATH, PARTITION);

    /** Whether the settings name a snapshot location at all. */
    public static boolean isConfigured(Settings settings) {
        return settings.has(PATH.key());
    }

    public static SnapshotLocation from(Settings settings) {
        URI snapshot = PATH.value(settings);
        URI backup = BACKUP_PATH.value(settings);
        Settings.require(!snapshot.normalize().equals(backup.normalize()), BACKUP_PATH.key(),
                "must differ from " + PATH.key() + " (" + snapshot + "): the backup is the second copy");
        return new SnapshotLocation(snapshot, backup, PARTITION.value(settings));
    }

    public IntegrityStore store() {
        return new IntegrityStore(snapshotPath, backupPath);
    }
}
