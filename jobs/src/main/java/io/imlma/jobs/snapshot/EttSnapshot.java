package io.imlma.jobs.snapshot;

import io.imlma.common.integrity.IntegrityStore;
import io.imlma.common.integrity.SealedSnapshot;
import io.imlma.common.types.FeatureRow;
import io.imlma.ml.data.BundledData;
import io.imlma.ml.data.EttCsv;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes channels of the bundled ETTm1 data as a sealed, backed-up daily snapshot, as the streaming job would: the
 * data a retraining reads, for tests and benchmarks that have no pipeline running.
 */
public final class EttSnapshot {
    private EttSnapshot() {}

    /** @return the rows written, all channels */
    public static List<FeatureRow> write(IntegrityStore store, List<String> channels, int rowsPerChannel)
            throws IOException {
        List<FeatureRow> all = new ArrayList<>();
        for (String channel : channels) {
            all.addAll(EttCsv.read(BundledData.ettm1(), channel, 0, rowsPerChannel));
        }
        SealedSnapshot.write(store, all);
        return all;
    }
}
