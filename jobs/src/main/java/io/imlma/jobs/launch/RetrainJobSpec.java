package io.imlma.jobs.launch;

import io.imlma.common.config.Option;
import io.imlma.common.types.RetrainRequest;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The batch job a launcher starts for one request: its entry class (a {@link BatchJobEntry} with a {@code main}),
 * the program arguments and the parallelism. Arguments are {@code --name value} pairs that
 * {@link io.imlma.common.config.Settings#fromArgs} reads: the request ({@link #REQUEST_OPTIONS}, the range as epoch
 * ms, half-open) followed by the passed-through job settings (snapshot paths, registry URL, ...).
 */
public record RetrainJobSpec(String requestId, String entryClass, List<String> programArgs, int parallelism) {
    private static final String TIME = "epoch milliseconds, an ISO-8601 instant (2016-07-01T00:00:00Z) or a UTC date"
            + " (2016-07-01)";

    public static final Option<String> REQUEST_ID = Option.string("request-id")
            .description("The request this retraining serves (its launch is recorded under it).");
    public static final Option<String> MODEL = Option.string("model")
            .check(m -> m.matches("[A-Za-z0-9._-]+"), "must be a simple name (letters, digits, '.', '_', '-'): it"
                    + " names a directory")
            .description("The model to retrain.");
    public static final Option<String> DATA_FROM = Option.string("data-from")
            .check(t -> epochMillis(t) != null, "expected " + TIME)
            .description("Start of the training data (inclusive): " + TIME + ".");
    public static final Option<String> DATA_TO = Option.string("data-to")
            .check(t -> epochMillis(t) != null, "expected " + TIME)
            .description("End of the training data (exclusive), after data-from: " + TIME + ".");
    public static final Option<String> REASON = Option.string("reason").defaultText("(set by the launcher)")
            .description("Why the retraining was requested (VOLUME, SCHEDULE, MANUAL, DRIFT), for the job's record.");
    public static final Option<Long> D0 = Option.longValue("d0").defaultText("(set by the launcher)")
            .description("Rows the previous training used (D0), for the job's record.");
    public static final Option<Long> DELTA_D = Option.longValue("delta-d").defaultText("(set by the launcher)")
            .description("Rows committed since the previous training (ΔD), for the job's record.");
    /** What a launcher passes a retraining besides its settings. */
    public static final List<Option<?>> REQUEST_OPTIONS = List.of(REQUEST_ID, MODEL, DATA_FROM, DATA_TO, REASON, D0,
            DELTA_D);

    public RetrainJobSpec {
        programArgs = List.copyOf(programArgs);
    }

    public static RetrainJobSpec of(RetrainRequest request, String entryClass, Map<String, String> jobSettings,
            int parallelism) {
        List<String> args = new ArrayList<>();
        add(args, REQUEST_ID.key(), request.requestId());
        add(args, MODEL.key(), request.modelName());
        add(args, DATA_FROM.key(), Long.toString(request.dataFrom()));
        add(args, DATA_TO.key(), Long.toString(request.dataTo()));
        add(args, REASON.key(), request.reason() == null ? "MANUAL" : request.reason().name());
        add(args, D0.key(), Long.toString(request.d0()));
        add(args, DELTA_D.key(), Long.toString(request.deltaD()));
        // sorted, so the same request always gives the same arguments (and the same Kubernetes resource)
        new TreeMap<>(jobSettings).forEach((key, value) -> add(args, key, value));
        return new RetrainJobSpec(request.requestId(), entryClass, args, parallelism);
    }

    /** {@code --name=value} keeps values that start with "--" or are empty unambiguous. */
    private static void add(List<String> args, String name, String value) {
        args.add("--" + name + "=" + value);
    }

    /** {@link #DATA_FROM} or {@link #DATA_TO} in epoch milliseconds; {@code null} when it is in none of the forms. */
    public static Long epochMillis(String raw) {
        if (raw.matches("-?\\d+")) {
            return Long.parseLong(raw);
        }
        try {
            return Instant.parse(raw).toEpochMilli();
        } catch (DateTimeException e) {
            try {
                return LocalDate.parse(raw).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            } catch (DateTimeException e2) {
                return null;
            }
        }
    }
}
