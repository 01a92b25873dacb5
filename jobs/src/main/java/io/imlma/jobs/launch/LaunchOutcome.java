package io.imlma.jobs.launch;

import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * What became of one retrain request's launch.
 *
 * @param requestId  the request's id (launches are idempotent on it)
 * @param mode       launcher mode that ran it: {@code local}, {@code flink-client}, {@code flink-rest} or
 *                   {@code kubernetes}
 * @param jobId      Flink job id, or for Kubernetes the custom resource's name; null when nothing was started
 * @param status     where it ended (or stands, for {@link Status#RUNNING} and {@link Status#SUBMITTED})
 * @param startedAt  epoch ms when the launch began
 * @param finishedAt epoch ms when the outcome was known; 0 while running
 * @param message    what happened, in words: the failure cause, the resource file, ...
 * @param results    the job's accumulators (e.g. {@code rows}), as strings; empty when unknown
 */
@TypeInfo(LaunchOutcome.FlinkType.class)
public record LaunchOutcome(String requestId, String mode, String jobId, Status status, long startedAt,
        long finishedAt, String message, Map<String, String> results) {

    public LaunchOutcome {
        results = results == null ? Map.of() : Map.copyOf(results);
    }

    /** A POJO type with a typed map, so Flink never falls back to Kryo for {@code results}. */
    public static final class FlinkType extends TypeInfoFactory<LaunchOutcome> {
        @Override
        public TypeInformation<LaunchOutcome> createTypeInfo(Type type, Map<String, TypeInformation<?>> generics) {
            Map<String, TypeInformation<?>> fields = new LinkedHashMap<>();
            fields.put("requestId", Types.STRING);
            fields.put("mode", Types.STRING);
            fields.put("jobId", Types.STRING);
            fields.put("status", Types.ENUM(Status.class));
            fields.put("startedAt", Types.LONG);
            fields.put("finishedAt", Types.LONG);
            fields.put("message", Types.STRING);
            fields.put("results", Types.MAP(Types.STRING, Types.STRING));
            return Types.POJO(LaunchOutcome.class, fields);
        }
    }

    public enum Status {
        /** Launched and not finished yet (the ledger's record while a job runs). */
        RUNNING,
        /** Handed to external tooling (a Kubernetes resource written); its end is not observed here. */
        SUBMITTED,
        SUCCEEDED,
        FAILED,
        CANCELED,
        /** The launcher stopped waiting; the job may still be running. */
        TIMED_OUT;

        public boolean terminal() {
            return this != RUNNING;
        }
    }
}
