package io.imlma.api;

import static io.imlma.api.ApiFixture.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import io.imlma.common.config.Settings;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.Severity;
import io.imlma.registry.ModelVersion;
import io.imlma.registry.jdbc.RegistryDataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web page in a real headless Chromium (Debian's chromium package) against a server with registry data: the
 * versions table lists every version with ΔM against its champion on the same rows (or says it was not measured so)
 * and the paper's ΔM against the previous version labelled as such, the charts are drawn, the comparison scores two
 * versions on the same rows, the alarms are listed as active or resolved. A
 * screenshot is saved as {@code target/web-page.png}.
 */
class WebPageBrowserTest {
    /** Alarms whose episode is cleared; the others stay active. */
    private static final List<Integer> RESOLVED = List.of(1, 4);
    private static final Path CHROMIUM = Path.of(System.getProperty("imlma.chromium", "/usr/bin/chromium"));

    @TempDir
    Path dir;

    private ApiFixture api;

    /**
     * A server with evaluation over the fixture's snapshot and, as in the demo, without a token (a headless browser
     * has none to enter), so the page's comparison scores both versions by POST /evaluate.
     */
    private void start() {
        api = new ApiFixture(new Settings(Map.of(RegistryDataSource.JDBC_URL.key(),
                RegistryDataSource.h2InMemory("web-" + UUID.randomUUID()), ApiConfig.AUTH.key(), "off")), dir, true);
        // each registered with the champion of its time scored on its test rows, as a retraining registers it
        api.registerTrained("run-1", Map.of("l2", 1000.0), 1);
        api.registry.promote(MODEL, 1, "test", "first");
        api.registerTrained("run-2", Map.of("l2", 1.0), 2);
        api.registry.promote(MODEL, 2, "test", "better");
        api.registerTrained("run-3", Map.of("l2", 100.0), 3);
        api.registry.reject(MODEL, 3, "worse than the champion");
        // as registered before the champion's metrics on the candidate's rows were kept
        api.registerUncompared("run-4", Map.of("l2", 0.1), 4);
        // better than the champion on its rows, but rejected (as by a policy whose bar it did not clear)
        ModelVersion v5 = api.registerTrained("run-5", Map.of("l2", 1e-4), 5);
        assertThat(v5.deltaVsChampion().mae()).as("v5's MAE gain over v2 on the same rows").isNegative();
        api.registry.reject(MODEL, 5, "MAE gain below the policy's margin");
        api.recordTrials("run-1", 6);
        api.recordTrials("run-2", 12);
        for (int i = 0; i < 8; i++) {
            AlarmType type = AlarmType.values()[i % 4];
            long raisedAt = Instant.parse("2024-01-02T00:00:00Z").toEpochMilli() + i * 3_600_000L;
            api.registry.recordAlarm(new Alarm("alarm-" + i, type, i % 3 == 0 ? Severity.CRITICAL : Severity.WARNING,
                    "meter-" + i, 2, 10 + i, 5, raisedAt, type + " threshold crossed on meter-" + i));
            if (RESOLVED.contains(i)) {
                api.registry.recordAlarm(new Alarm("alarm-" + i, type, Severity.INFO, "meter-" + i, 2, 1, 5,
                        raisedAt + 1_800_000L, "resolved: " + type + " back to normal on meter-" + i));
            }
        }
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void pageRendersRegistryDataInAHeadlessBrowser() throws Exception {
        assertThat(CHROMIUM).as("headless Chromium is needed for this test: install Debian's 'chromium' package"
                + " (apt-get install chromium; .ci/run installs it) or point -Dimlma.chromium at a Chromium binary")
                .isExecutable();
        start();
        String url = api.uri("/").toString();

        String dom = chromium("--dump-dom", url);
        int testRows = api.windows().test().size();

        assertThat(dom).contains("data-state=\"ready\"");
        for (int version = 1; version <= 5; version++) {
            assertThat(dom).contains("<tr data-version=\"" + version + "\">");
        }
        assertThat(dom).contains("status-CHAMPION\">champion</span>", "status-REJECTED\">rejected</span>",
                "status-CANDIDATE\">candidate</span>", "champion: v2");
        for (String chart : List.of("chart-metrics", "chart-deltas", "chart-trials", "chart-alarms")) {
            assertThat(chartMarkup(dom, chart)).as(chart).contains("<canvas");
        }
        assertThat(dom).contains("STABILITY threshold crossed on meter-5");
        for (int i = 0; i < 8; i++) {
            String status = RESOLVED.contains(i) ? "RESOLVED\">resolved</span>" : "ACTIVE\">active</span>";
            assertThat(alarmRow(dom, "alarm-" + i)).as("alarm-" + i).contains("alarm-" + status);
        }
        assertThat(alarmRow(dom, "alarm-4")).contains("2024-01-02 04:30:00", "title=\"resolved: ");
        assertThat(dom).contains("6 active, 2 resolved");
        assertThat(tableRows(dom, "compare-table")).as("comparison of the last two versions").isEqualTo(3);
        assertThat(dom).as("v5 against v4 scored on the same rows by POST /evaluate")
                .contains("Both on the same rows: " + testRows + " rows, targets ", "scored by POST /evaluate");

        // v1 had no champion; v2 beat v1 and v3 lost to v2 on their own rows; v4 was never measured so
        assertThat(versionRow(dom, 1)).contains(">no champion<");
        assertThat(versionRow(dom, 2)).contains("class=\"num better\"").doesNotContain("not measured");
        assertThat(versionRow(dom, 3)).contains("class=\"num worse\"", ">" + testRows + " rows<")
                .doesNotContain("num better");
        assertThat(versionRow(dom, 4)).contains(">not measured on the same rows<", ">–<");
        assertThat(versionRow(dom, 5)).as("a rejected version's gain is not shown as better")
                .contains("class=\"num insufficient\"", "better by less than the replacement policy asks")
                .doesNotContain("num better");
        assertThat(dom).contains("vs champion · same rows", "paper's ΔM vs previous · other test window");

        Path screenshot = Path.of("target", "web-page.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        chromium("--screenshot=" + screenshot, "--window-size=1400,1700", url);
        assertThat(screenshot).isRegularFile();
        assertThat(Files.size(screenshot)).isGreaterThan(20_000);
    }

    @Test
    void withoutTheTokenTheComparisonSaysItsNumbersAreNotOnTheSameRows() throws Exception {
        assertThat(CHROMIUM).as("headless Chromium is needed for this test").isExecutable();
        // a token is required and the page has none; and no snapshots to score on
        api = new ApiFixture(new Settings(Map.of(RegistryDataSource.JDBC_URL.key(),
                RegistryDataSource.h2InMemory("web-" + UUID.randomUUID()))), dir, false);
        api.registerUncompared("run-1", Map.of("l2", 1000.0), 1);
        api.registerUncompared("run-2", Map.of("l2", 1.0), 2);

        String dom = chromium("--dump-dom", api.uri("/").toString());

        assertThat(dom).contains("data-state=\"ready\"");
        assertThat(dom).contains("Not measured on the same rows: each version on its own test rows (v1: rows not"
                + " recorded; v2: rows not recorded). Scoring both on the same rows failed: this call needs an"
                + " 'Authorization: Bearer &lt;token&gt;' header");
        int start = dom.indexOf("id=\"compare-table\"");
        String table = dom.substring(start, dom.indexOf("</table>", start));
        assertThat(tableRows(dom, "compare-table")).isEqualTo(3);
        assertThat(table).as("deltas across different rows are not coloured").doesNotContain("better", "worse");
    }

    private String chromium(String... args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--enable-logging=stderr", "--v=0", "--user-data-dir=" + profile, "--virtual-time-budget=15000"));
        command.addAll(List.of(args));
        String run = "chromium-" + UUID.randomUUID();
        Path output = dir.resolve(run + ".out");
        // the browser's own log, with the page's console messages, goes to target/ for diagnosis
        Path log = Path.of("target", "chromium-console.log");
        Process process = new ProcessBuilder(command).redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish within 120 s: " + command);
        }
        assertThat(process.exitValue()).as("chromium exit code").isZero();
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    /** The markup inside a chart container, up to the next section. */
    private static String chartMarkup(String dom, String id) {
        int start = dom.indexOf("id=\"" + id + "\"");
        assertThat(start).as("container " + id).isNotNegative();
        int end = dom.indexOf("</section>", start);
        return dom.substring(start, end);
    }

    private static String versionRow(String dom, int version) {
        int start = dom.indexOf("<tr data-version=\"" + version + "\">");
        assertThat(start).as("row of v" + version).isNotNegative();
        return dom.substring(start, dom.indexOf("</tr>", start));
    }

    private static String alarmRow(String dom, String alarmId) {
        int start = dom.indexOf("<tr data-alarm=\"" + alarmId + "\">");
        assertThat(start).as("row of " + alarmId).isNotNegative();
        return dom.substring(start, dom.indexOf("</tr>", start));
    }

    private static int tableRows(String dom, String id) {
        int start = dom.indexOf("id=\"" + id + "\"");
        String table = dom.substring(start, dom.indexOf("</table>", start));
        String body = table.substring(table.indexOf("<tbody>"));
        Matcher rows = Pattern.compile("<tr>").matcher(body);
        int count = 0;
        while (rows.find()) {
            count++;
        }
        return count;
    }
}
