package org.kaoping.app.bench;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark's figures as a Markdown report: each step, each ratio beside its target, the build's tables. */
final class BenchReport {
  private final PipelineBench.Plan plan;
  private final List<StepMeter.Figure> figures;
  private final Map<String, Double> tableSeconds;
  private final double totalSeconds;

  BenchReport(PipelineBench.Plan plan, List<StepMeter.Figure> figures, Map<String, Double> tableSeconds, double totalSeconds) {
    this.plan = plan;
    this.figures = figures;
    this.tableSeconds = tableSeconds;
    this.totalSeconds = totalSeconds;
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("## kaoping bench pipeline --units ").append(plan.units()).append(" --seed ").append(plan.seed())
        .append(" --stream-days ").append(plan.streamDays()).append("\n\n");
    md.append(String.format(Locale.ROOT, "%d cores, max heap %.1f GiB, Java %s, %s%n%n",
        Runtime.getRuntime().availableProcessors(), StepMeter.maxHeap() / 1073741824.0, System.getProperty("java.version"),
        ManagementFactory.getOperatingSystemMXBean().getName() + " " + System.getProperty("os.arch")));
    md.append("| step | seconds | processed | per second | peak heap | peak RSS | note |\n");
    md.append("|---|---:|---:|---:|---:|---:|---|\n");
    for (StepMeter.Figure f : figures) {
      md.append(row(f)).append(System.lineSeparator());
    }
    md.append(String.format(Locale.ROOT, "| whole run | %.1f | | | | | |%n%n", totalSeconds));
    md.append("| ratio | measured | target |\n|---|---:|---|\n");
    ratio(md, "initial load / Debezium snapshot (rows/s)", rate("initial load") / rate("debezium snapshot"), "≥ 5×");
    ratio(md, "streaming / Debezium engine (events/s)", rate("streaming") / rate("debezium streaming"), "≥ 0.8×");
    ratio(md, "full build / DuckDB headline metrics (s)", seconds("full build") / seconds("duckdb"), "≤ 3×");
    md.append(String.format(Locale.ROOT, "| one-day build / full build | %.1f %% | ≤ 5 %% |%n",
        100 * seconds("one-day build") / seconds("full build")));
    md.append(String.format(Locale.ROOT, "| full publish rows/s | %,.0f | ≥ 100,000 |%n", rate("full publish")));
    md.append(String.format(Locale.ROOT, "| one-day publish | %.1f s | ≤ 60 s at Linyi scale |%n", seconds("one-day publish")));
    md.append(String.format(Locale.ROOT, "| peak heap of any step | %s | ≤ 4 GiB |%n%n",
        gib(figures.stream().mapToLong(StepMeter.Figure::peakHeapBytes).max().orElse(-1))));
    md.append("Build, seconds per table:\n\n| table | seconds |\n|---|---:|\n");
    tableSeconds.forEach((table, s) -> md.append(String.format(Locale.ROOT, "| %s | %.1f |%n", table, s)));
    return md.toString();
  }

  /** A step's row of the report's table: step, seconds, processed, per second, peak heap, peak RSS, note. */
  static String row(StepMeter.Figure f) {
    return String.format(Locale.ROOT, "| %s | %.1f | %s | %s | %s | %s | %s |", f.step(), f.seconds(),
        f.items() < 0 ? "" : f.items() + " " + f.unit(), Double.isNaN(f.perSecond()) ? "" : String.format(Locale.ROOT,
            "%,.0f", f.perSecond()), gib(f.peakHeapBytes()), gib(f.peakRssBytes()), f.note().replace("|", "\\|"));
  }

  private static void ratio(StringBuilder md, String what, double value, String target) {
    md.append(String.format(Locale.ROOT, "| %s | %.2f× | %s |%n", what, value, target));
  }

  private StepMeter.Figure figure(String step) {
    return figures.stream().filter(f -> f.step().equals(step)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no benchmark step named " + step));
  }

  private double rate(String step) {
    return figure(step).perSecond();
  }

  private double seconds(String step) {
    return figure(step).seconds();
  }

  private static String gib(long bytes) {
    return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.2f GiB", bytes / 1073741824.0);
  }
}
