package io.imlma.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Rules and the dashboard read only catalogued metrics; Alertmanager routes every severity the rules use. */
class MonitoringConfigTest {

    private static final String OPERATOR_SCOPE = "flink_taskmanager_job_task_operator_";

    private static Map<String, MetricCatalog.Metric> catalog;

    @BeforeAll
    static void load() {
        catalog = MetricCatalog.load();
    }

    @Test
    void catalogueHoldsTheProjectsOperatorMetrics() {
        assertThat(catalog.keySet()).allMatch(name -> name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*"));
        assertThat(catalog.values()).extracting(MetricCatalog.Metric::origin)
                .allMatch(origin -> Set.of("flink", "imlma", "prometheus").contains(origin));
        List<String> projectMetrics = catalog.values().stream().filter(m -> m.origin().equals("imlma"))
                .map(m -> m.name().substring(OPERATOR_SCOPE.length())).toList();
        assertThat(projectMetrics).containsExactlyInAnyOrder("imlmaRecordsIn", "imlmaDeadLettered", "imlmaDuplicates",
                "imlmaConflicts", "imlmaLateReadings", "imlmaImputedRows", "alarm_type_alarmsRaised", "latency_kind_latencyP99Ms",
                "predictionStabilityDelta", "driftStatistic", "championVersion", "championTestMae");
    }

    @Test
    void promQlParserFindsMetricsAndRejectsUnknownFunctions() {
        assertThat(PromQl.metricNames("sum by (job_name) (rate(a_total{x=\"b_c\"}[5m])) / on (job_name) b offset 8d > 1e3"))
                .containsExactly("a_total", "b");
        assertThat(PromQl.metricNames("label_values(flink_jobmanager_job_uptime, job_name)"))
                .containsExactly("flink_jobmanager_job_uptime");
        assertThatThrownBy(() -> PromQl.metricNames("rat(x[5m])")).hasMessageContaining("'rat'");
    }

    @Test
    void alertRulesReadOnlyCataloguedMetrics() throws IOException {
        JsonNode rules = K8sManifests.YAML.readTree(RepoFiles.resolve("monitoring/prometheus/rules/imlma-alerts.yml").toFile());
        List<JsonNode> all = new ArrayList<>();
        rules.path("groups").forEach(group -> group.path("rules").forEach(all::add));
        assertThat(all).hasSizeGreaterThanOrEqualTo(10);
        Set<String> used = new TreeSet<>();
        for (JsonNode rule : all) {
            String alert = rule.path("alert").asText();
            Set<String> metrics = PromQl.metricNames(rule.path("expr").asText());
            assertThat(metrics).as(alert).isNotEmpty();
            assertThat(catalog.keySet()).as(alert + " reads uncatalogued metrics").containsAll(metrics);
            assertThat(rule.path("labels").path("severity").asText()).as(alert).isIn("warning", "critical");
            assertThat(rule.path("annotations").path("summary").asText()).as(alert).isNotBlank();
            assertThat(rule.path("annotations").path("description").asText()).as(alert).isNotBlank();
            used.addAll(metrics);
        }
        assertThat(used).contains(OPERATOR_SCOPE + "imlmaDeadLettered", OPERATOR_SCOPE + "imlmaLateReadings",
                OPERATOR_SCOPE + "alarm_type_alarmsRaised", OPERATOR_SCOPE + "championVersion",
                "flink_jobmanager_job_numberOfFailedCheckpoints");
    }

    @Test
    void dashboardPanelsReadOnlyCataloguedMetrics() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(RepoFiles.resolve("monitoring/grafana/imlma-pipeline.json").toFile());
        List<JsonNode> panels = StreamSupport.stream(dashboard.path("panels").spliterator(), false).toList();
        assertThat(panels).hasSizeGreaterThanOrEqualTo(10);
        Set<String> used = new TreeSet<>();
        for (JsonNode panel : panels) {
            String title = panel.path("title").asText();
            assertThat(panel.path("targets").size()).as(title).isPositive();
            for (JsonNode target : panel.path("targets")) {
                Set<String> metrics = PromQl.metricNames(target.path("expr").asText());
                assertThat(metrics).as(title).isNotEmpty();
                assertThat(catalog.keySet()).as(title + " reads uncatalogued metrics").containsAll(metrics);
                used.addAll(metrics);
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            assertThat(catalog.keySet()).containsAll(PromQl.metricNames(variable.path("definition").asText()));
        }
        // throughput, lag, checkpoint duration, state size, alarms, model version, MAE over time
        assertThat(used).contains(OPERATOR_SCOPE + "imlmaRecordsIn", OPERATOR_SCOPE + "pendingRecords",
                "flink_jobmanager_job_lastCheckpointDuration", "flink_jobmanager_job_lastCheckpointFullSize",
                OPERATOR_SCOPE + "alarm_type_alarmsRaised", OPERATOR_SCOPE + "championVersion",
                OPERATOR_SCOPE + "championTestMae");
    }

    @Test
    void alertmanagerRoutesCriticalToWebhookAndEmailAndInhibitsWarnings() throws IOException {
        JsonNode config = K8sManifests.YAML.readTree(RepoFiles.resolve("monitoring/alertmanager/alertmanager.yml").toFile());
        Set<String> receivers = new TreeSet<>();
        config.path("receivers").forEach(r -> receivers.add(r.path("name").asText()));
        JsonNode route = config.path("route");
        assertThat(receivers).contains(route.path("receiver").asText());
        assertThat(texts(route.path("group_by"))).contains("alertname", "meter");

        JsonNode critical = null;
        for (JsonNode child : route.path("routes")) {
            assertThat(receivers).contains(child.path("receiver").asText());
            if (texts(child.path("matchers")).contains("severity=\"critical\"")) {
                critical = child;
            }
        }
        assertThat(critical).as("a route for severity=\"critical\"").isNotNull();
        String criticalReceiver = critical.path("receiver").asText();
        JsonNode receiver = StreamSupport.stream(config.path("receivers").spliterator(), false)
                .filter(r -> r.path("name").asText().equals(criticalReceiver)).findFirst().orElseThrow();
        assertThat(receiver.path("webhook_configs").size()).isPositive();
        assertThat(receiver.path("email_configs").size()).isPositive();
        assertThat(config.path("global").path("smtp_smarthost").asText()).isNotBlank();
        assertThat(config.path("global").has("smtp_auth_password")).as("no password in the file").isFalse();

        JsonNode inhibit = config.path("inhibit_rules").get(0);
        assertThat(texts(inhibit.path("source_matchers"))).containsExactly("severity=\"critical\"");
        assertThat(texts(inhibit.path("target_matchers"))).containsExactly("severity=\"warning\"");
        assertThat(texts(inhibit.path("equal"))).containsExactlyInAnyOrder("alertname", "meter");
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
