package io.imlma.bench;

import io.imlma.common.config.Settings;
import io.imlma.common.types.Alarm;
import io.imlma.common.types.AlarmType;
import io.imlma.common.types.Prediction;
import io.imlma.ml.data.Dataset;
import io.imlma.udf.monitor.StabilityMonitor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.hipparchus.stat.StatUtils;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Fig. 5: the forecasts the default rule's champions serve, one per 15-minute interval, through the real
 * {@link StabilityMonitor} (its VARIANCE alarms are counted) and the same fluctuation formula evaluated daily for
 * the plot: |var(last W forecasts) − var(baseline)| / var(baseline), the baseline being the first W forecasts of
 * the serving version.
 */
final class StabilityExperiment {
    private static final long INTERVAL_MILLIS = 15 * 60_000L;
    private static final String METER = "meter";
    private static final int DAILY = 96;

    private StabilityExperiment() {}

    static Section run(ExperimentConfig config, LoadData data, List<ReplacementExperiment.Served> champions,
                       long until, Progress progress) throws Exception {
        int w = config.stabilityWindow();
        StabilityMonitor.Config monitorConfig = StabilityMonitor.Config.fromSettings(
                new Settings(Map.of("monitor.stability.window", String.valueOf(w))));
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new StabilityMonitor(monitorConfig)), Prediction::meterId, Types.STRING);
        harness.open();

        Dataset all = data.dataset();
        long start = champions.get(0).from();
        Dataset served = all.window(start, until);
        double[] forecasts = new double[served.size()];
        int[] versions = new int[served.size()];
        int c = 0;
        for (int i = 0; i < served.size(); i++) {
            long t = served.targetTimes()[i];
            while (c + 1 < champions.size() && champions.get(c + 1).from() <= t) {
                c++;
            }
            ReplacementExperiment.Served champion = champions.get(c);
            forecasts[i] = champion.model().predict(served.features()[i]);
            versions[i] = champion.version();
            harness.processElement(new StreamRecord<>(new Prediction(METER, t, INTERVAL_MILLIS,
                    new double[] {forecasts[i]}, "load-forecast", champion.version(), t, t, t, t), t));
        }
        long varianceAlarms = harness.extractOutputValues().stream()
                .map(Alarm.class::cast).filter(a -> a.type() == AlarmType.VARIANCE).count();
        harness.close();

        // the monitor's formula, evaluated daily (the monitor itself evaluates once per window W)
        List<Double> days = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> windowFluctuations = new ArrayList<>();
        int versionStart = 0;
        double baseline = Double.NaN;
        for (int i = 0; i < forecasts.length; i++) {
            if (versions[i] != versions[versionStart]) {
                versionStart = i;
                baseline = Double.NaN;
            }
            int seen = i - versionStart + 1;
            if (seen < w) {
                continue;
            }
            double variance = StatUtils.variance(forecasts, i - w + 1, w);
            if (Double.isNaN(baseline)) {
                baseline = variance > 0 ? variance : Double.NaN;
                continue;
            }
            if (seen % w == 0) {
                windowFluctuations.add(Math.abs(variance - baseline) / baseline);
            }
            if (seen % DAILY == 0) {
                days.add((served.targetTimes()[i] - start) / (double) LoadData.DAY_MS);
                ratios.add(variance / baseline);
            }
        }
        // around each update: the new model's forecasts over its first W intervals against the replaced model's
        // forecasts of the same intervals, so the data's own change in variance is taken out
        List<Double> updateChanges = new ArrayList<>();
        for (int k = 1; k < champions.size(); k++) {
            Dataset after = all.window(champions.get(k).from(), champions.get(k).from() + w * 15L * 60_000);
            if (after.size() < w / 2) {
                continue;
            }
            double newVar = StatUtils.variance(champions.get(k).model().predictAll(after.features()));
            double oldVar = StatUtils.variance(champions.get(k - 1).model().predictAll(after.features()));
            updateChanges.add(Math.abs(newVar - oldVar) / oldVar);
        }
        progress.step("stability: %d forecasts, %d model versions, %d VARIANCE alarms", forecasts.length,
                champions.size(), varianceAlarms);

        double[] fluct = windowFluctuations.stream().mapToDouble(Double::doubleValue).toArray();
        double[] upd = updateChanges.stream().mapToDouble(Double::doubleValue).toArray();
        Section section = new Section("Prediction stability around model updates (Fig. 5)");
        section.text(String.format(Locale.ROOT, """
                Forecasts of every 15-minute interval from %s for %.0f days by the champions of the STRICT chain of \
                the replacement experiment (%d versions), fed through the real `StabilityMonitor` (window W = %d \
                forecasts, variance threshold 30 %%, its default hysteresis).

                Definitions: *fluctuation* = |var(last W forecasts) − var(baseline)| / var(baseline), baseline = \
                the first W forecasts of the serving version (the monitor's definition, evaluated once per W). \
                *Update-induced change* = |var(new model's forecasts) − var(old model's forecasts)| / var(old), both \
                over the W intervals after the update, so the load's own seasonal change of variance is not \
                counted. The plot shows var(last W) / var(baseline) daily, with the ±30 %% band and the updates.
                """, java.time.Instant.ofEpochMilli(start).toString().substring(0, 10),
                (until - start) / (double) LoadData.DAY_MS, champions.size(), w));
        section.table(new MarkdownTable("measure", "this system", "paper")
                .row("monitor evaluations with fluctuation < 30 %", fluct.length == 0 ? "n/a"
                        : String.format(Locale.ROOT, "%s of %d", MarkdownTable.percent(
                                Arrays.stream(fluct).filter(f -> f < 0.30).count() / (double) fluct.length),
                                fluct.length), "all (< 30 % of baseline)")
                .row("fluctuation per evaluation: median / max", fluct.length == 0 ? "n/a"
                        : MarkdownTable.percent(StatUtils.percentile(fluct, 50)) + " / "
                                + MarkdownTable.percent(StatUtils.max(fluct)), "< 30 %")
                .row("update-induced variance change: median / max over " + upd.length + " updates",
                        upd.length == 0 ? "n/a" : MarkdownTable.percent(StatUtils.percentile(upd, 50)) + " / "
                                + MarkdownTable.percent(StatUtils.max(upd)), "< 30 %")
                .row("VARIANCE alarms raised by StabilityMonitor", varianceAlarms, "–"));

        XYChart chart = Charts.lines("Rolling forecast variance / baseline of the serving version (W = " + w + ")",
                "days since first champion", "variance / baseline");
        if (!days.isEmpty()) {
            chart.addSeries("var(last W) / baseline", days, ratios).setMarker(SeriesMarkers.NONE);
            double endDay = days.get(days.size() - 1);
            for (double level : new double[] {0.7, 1.3}) {
                XYSeries band = chart.addSeries(level == 0.7 ? "-30 %" : "+30 %", new double[] {0, endDay},
                        new double[] {level, level});
                band.setMarker(SeriesMarkers.NONE);
                band.setLineStyle(new java.awt.BasicStroke(1f, java.awt.BasicStroke.CAP_BUTT,
                        java.awt.BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
                band.setLineColor(java.awt.Color.GRAY);
            }
        }
        double[] updateDays = champions.stream().skip(1)
                .mapToDouble(s -> (s.from() - start) / (double) LoadData.DAY_MS).toArray();
        if (updateDays.length > 0) {
            XYSeries updates = chart.addSeries("model update", updateDays, new double[updateDays.length]);
            updates.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            updates.setMarker(SeriesMarkers.DIAMOND);
        }
        chart.getStyler().setYAxisMin(0.0);
        Charts.save(chart, config.figures().resolve("stability.png"));
        section.figure("rolling forecast variance relative to the baseline", "stability.png");
        read(section, fluct, upd, varianceAlarms, (until - start) / (double) LoadData.DAY_MS / champions.size(), w);
        return section;
    }

    /** The paper's bound on fluctuation, and the monitor's default threshold. */
    private static final double BOUND = 0.30;

    private static void read(Section section, double[] fluct, double[] upd, long alarms, double daysPerVersion,
                             int w) {
        if (fluct.length == 0 || upd.length == 0) {
            section.reading("Too few forecasts per version for the monitor to evaluate; run `--mode full`.");
            return;
        }
        double calm = Arrays.stream(fluct).filter(f -> f < BOUND).count() / (double) fluct.length;
        double updateMax = StatUtils.max(upd);
        section.reading(String.format(Locale.ROOT, "Model updates change the forecast variance by a median %s "
                        + "(max %s), %s the paper's 30 %%. The monitor's fluctuation against a version's baseline is "
                        + "below 30 %% in %s of its evaluations (median %s, max %s): the baseline is the first W = %d "
                        + "forecasts (%.0f days) of a version, and a version serves %.0f days on average%s. The "
                        + "monitor raised %d VARIANCE alarms.",
                MarkdownTable.percent(StatUtils.percentile(upd, 50)), MarkdownTable.percent(updateMax),
                updateMax < BOUND ? "within" : "beyond", MarkdownTable.percent(calm),
                MarkdownTable.percent(StatUtils.percentile(fluct, 50)), MarkdownTable.percent(StatUtils.max(fluct)),
                w, w / (double) DAILY, daysPerVersion,
                StatUtils.percentile(fluct, 50) > 2 * StatUtils.percentile(upd, 50)
                        ? " — the forecasts' variance drifts with the load over a version's life far more than an "
                                + "update changes it" : "", alarms));
        section.difference(String.format(Locale.ROOT, "**Prediction stability** — updates themselves change the "
                        + "forecast variance by at most %s, %s the paper's 30 %%, but the monitor's fluctuation "
                        + "against a version's baseline exceeds 30 %% in %s of its evaluations (paper: none), over "
                        + "versions that serve %.0f days on average.",
                MarkdownTable.percent(updateMax), updateMax < BOUND ? "within" : "beyond",
                MarkdownTable.percent(1 - calm), daysPerVersion));
    }
}
