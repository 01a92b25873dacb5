package io.imlma.common.integrity;

import io.imlma.common.config.Settings;
import java.io.Serializable;
import java.net.URI;

/**
 * Where the committed snapshots and their backup copies are, and how they are partitioned: the {@code snapshot.path},
 * {@code snapshot.backup-path} and {@code snapshot.partition} settings, read by the snapshot stage that writes them
 * and by everything that reads them.
 */
public record SnapshotLocation(URI snapshotPath, URI backupPath, PartitionGranularity granularity)
        implements Serializable {
    public static final String PATH = "snapshot.path";
    public static final String BACKUP_PATH = "snapshot.backup-path";
    public static final String PARTITION = "snapshot.partition";

    /** Whether the settings name a snapshot location at all. */
    public static boolean isConfigured(Settings settings) {
        return settings.has(PATH);
    }

    public static SnapshotLocation from(Settings settings) {
        URI snapshot = settings.uri(PATH);
        URI backup = settings.uri(BACKUP_PATH);
        Settings.require(!snapshot.normalize().equals(backup.normalize()), BACKUP_PATH,
                "must differ from " + PATH + " (" + snapshot + "): the backup is the second copy");
        return new SnapshotLocation(snapshot, backup,
                settings.enumValue(PARTITION, PartitionGranularity.class, PartitionGranularity.DAILY));
    }

    public IntegrityStore store() {
        return new IntegrityStore(snapshotPath, backupPath);
    }
}
