package io.imlma.common.integrity;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.UUID;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystem.WriteMode;
import org.apache.flink.core.fs.Path;

/**
 * Writes files so that readers see either the old content or the complete new one: the bytes go to a hidden
 * temporary file beside the target ({@code .name.tmp-<uuid>}, hidden like FileSink's in-progress files), which is
 * then renamed. HDFS and local renames within a directory are atomic; HDFS refuses to rename onto an existing file,
 * so an existing target is deleted first (only ever replaced by identical or repaired content).
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    public static void write(Path target, byte[] content) throws IOException {
        write(target, out -> out.write(content));
    }

    public static void copy(Path source, Path target) throws IOException {
        FileSystem sourceFs = source.getFileSystem();
        write(target, out -> {
            try (InputStream in = sourceFs.open(source)) {
                in.transferTo(out);
            }
        });
    }

    public static void write(Path target, Content content) throws IOException {
        FileSystem fs = target.getFileSystem();
        Path dir = target.getParent();
        fs.mkdirs(dir);
        Path temp = new Path(dir, "." + target.getName() + ".tmp-" + UUID.randomUUID());
        try {
            try (OutputStream out = fs.create(temp, WriteMode.NO_OVERWRITE)) {
                content.writeTo(out);
            }
            if (fs.exists(target) && !fs.delete(target, false)) {
                throw new IOException("cannot replace " + target);
            }
            if (!fs.rename(temp, target)) {
                throw new IOException("cannot rename " + temp + " to " + target);
            }
        } finally {
            if (fs.exists(temp)) {
                fs.delete(temp, false);
            }
        }
    }
}
