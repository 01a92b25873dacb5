package io.imlma.api;

import io.javalin.http.Context;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The API's metrics (GET /metrics, Prometheus text format): requests by method, route pattern and status, a latency
 * histogram by method and route, and the JVM's own (memory, GC, threads, class loading; the Prometheus client's
 * standard collectors). Each server has its own registry, so several servers in one JVM (the demo, tests) do not
 * mix their request figures.
 */
final class ApiMetrics {
    /** Route label of requests that matched no endpoint (static files of the web page, unknown paths). */
    static final String OTHER_ROUTE = "other";

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = new PrometheusTextFormatWriter(false);
    private final Counter requests = Counter.builder()
            .name("imlma_api_requests_total")
            .help("HTTP requests handled by the IMLMA API")
            .labelNames("method", "route", "status")
            .register(registry);
    private final Histogram latency = Histogram.builder()
            .name("imlma_api_request_duration_seconds")
            .help("Time to handle an HTTP request of the IMLMA API")
            .labelNames("method", "route")
            .classicOnly()
            .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .withoutExemplars()
            .register(registry);

    ApiMetrics() {
        JvmMetrics.builder().register(registry);
    }

    void record(Context ctx, float millis) {
        String route = route(ctx);
        String method = ctx.method().name();
        requests.labelValues(method, route, Integer.toString(ctx.statusCode())).inc();
        latency.labelValues(method, route).observe(millis / 1_000.0);
    }

    String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }

    /** The matched route pattern, e.g. {@code /models/{name}/versions/{version}}: bounded label values. */
    private static String route(Context ctx) {
        // the handler type stays BEFORE when no endpoint matched; the endpoint path is only known after a match
        return ctx.handlerType().isHttpMethod() ? ctx.endpointHandlerPath() : OTHER_ROUTE;
    }
}
