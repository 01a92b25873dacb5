package io.imlma.jobs.launch;

import io.imlma.common.types.RetrainRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The batch job a launcher starts for one request: its entry class (a {@link BatchJobEntry} with a {@code main}),
 * the program arguments and the parallelism. Arguments are {@code --name value} pairs that
 * {@link io.imlma.common.config.Settings#fromArgs} reads: the request ({@value #REQUEST_ID}, {@value #MODEL},
 * {@value #DATA_FROM}, {@value #DATA_TO} as epoch ms, half-open range, {@value #REASON}, {@value #D0},
 * {@value #DELTA_D}) followed by the passed-through job settings (snapshot paths, registry URL, ...).
 */
public record RetrainJobSpec(String requestId, String entryClass, List<String> programArgs, int parallelism) {
    public static final String REQUEST_ID = "request-id";
    public static final String MODEL = "model";
    public static final String DATA_FROM = "data-from";
    public static final String DATA_TO = "data-to";
    public static final String REASON = "reason";
    public static final String D0 = "d0";
    public static final String DELTA_D = "delta-d";

    public RetrainJobSpec {
        programArgs = List.copyOf(programArgs);
    }

    public static RetrainJobSpec of(RetrainRequest request, String entryClass, Map<String, String> jobSettings,
            int parallelism) {
        List<String> args = new ArrayList<>();
        add(args, REQUEST_ID, request.requestId());
        add(args, MODEL, request.modelName());
        add(args, DATA_FROM, Long.toString(request.dataFrom()));
        add(args, DATA_TO, Long.toString(request.dataTo()));
        add(args, REASON, request.reason() == null ? "MANUAL" : request.reason().name());
        add(args, D0, Long.toString(request.d0()));
        add(args, DELTA_D, Long.toString(request.deltaD()));
        // sorted, so the same request always gives the same arguments (and the same Kubernetes resource)
        new TreeMap<>(jobSettings).forEach((key, value) -> add(args, key, value));
        return new RetrainJobSpec(request.requestId(), entryClass, args, parallelism);
    }

    /** {@code --name=value} keeps values that start with "--" or are empty unambiguous. */
    private static void add(List<String> args, String name, String value) {
        args.add("--" + name + "=" + value);
    }
}
