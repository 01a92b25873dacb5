package io.imlma.demo;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Properties;
import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Flink's Prometheus reporter, serving on the loopback interface only. Flink 1.20's own reporter binds its HTTP
 * server to all interfaces and has no host option; the demo must not expose its metrics to the network.
 */
public final class LoopbackPrometheusReporter extends AbstractPrometheusReporter {
    private final HTTPServer server;

    LoopbackPrometheusReporter(int port) {
        try {
            server = new HTTPServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), registry(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("Prometheus reporter: port " + port + " on "
                    + InetAddress.getLoopbackAddress().getHostAddress() + " is not available", e);
        }
    }

    /** The reporter's collector registry, package-private in Flink's class (the only way to serve it elsewhere). */
    private CollectorRegistry registry() {
        try {
            Field field = AbstractPrometheusReporter.class.getDeclaredField("registry");
            field.setAccessible(true);
            return (CollectorRegistry) field.get(this);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this Flink version's Prometheus reporter has no 'registry' field", e);
        }
    }

    @Override
    public void close() {
        server.stop();
        super.close();
    }

    /** {@code metrics.reporter.<name>.factory.class} for it; takes the reporter's {@code port} setting. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new LoopbackPrometheusReporter(Integer.parseInt(properties.getProperty("port", "9249")));
        }
    }
}
