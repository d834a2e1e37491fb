package org.kaoping.app;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.kaoping.config.KaopingConfig;
import org.kaoping.dashboards.report.ReportException;
import org.kaoping.dashboards.report.ReportGenerator;
import org.kaoping.delivery.serving.ServingPublisher;
import org.kaoping.jobs.scoring.PeriodType;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.kaoping.config.cli.ConfigOptions;

@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Write a period's evaluation reports (履职评估报告) as A4 PDFs.",
        "Write the evaluation reports (履职评估报告) of a period as A4 PDFs: one per unit (score, rank, grade,",
        "indicator points, workload trend, sections and people, target tasks, supervision, approval service, headcount",
        "efficiency, data note) and the city-wide summary for the assessment committee. Reads the published numbers",
        "in the serving database (serving.jdbc-url; default: the embedded one in <home>/serving-db), read-only."})
final class ReportCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Option(names = "--period", paramLabel = "P", required = true, description = "Period: a quarter (2025-Q3), half-year (2025-H1), month (2025-09) or year (2025).")
  String period;

  @Option(names = "--unit", paramLabel = "ID", description = "Only this unit's report (its unit id); default: every unit and the summary.")
  Long unit;

  @Option(names = "--out", paramLabel = "DIR", description = "Directory for the PDFs (default: <home>/reports/<period>).")
  Path out;

  /**
   * Where a home keeps the reports, a folder per period: written by the demo, this command and the service, and served
   * to the readers by the Superset of {@code kaoping up}.
   */
  static Path reports(KaopingConfig config) {
    return config.home().resolve("reports");
  }

  @Override
  public Integer call() throws Exception {
    KaopingConfig config = options.load();
    if (!period.matches(PeriodType.LABEL_PATTERN)) {
      System.err.println("kaoping: --period must be a quarter (2025-Q3), a half-year (2025-H1), a month (2025-09) or a year"
          + " (2025), was '" + period + "'");
      return 2;
    }
    Path dir = out != null ? out.toAbsolutePath().normalize() : reports(config).resolve(period);
    try {
      if (config.servingJdbcUrl() != null) {
        write(config, Serving.configured(config), period, Optional.ofNullable(unit), dir, System.out);
      } else {
        try (EmbeddedServing serving = EmbeddedServing.start(config)) {
          write(config, serving.target(), period, Optional.ofNullable(unit), dir, System.out);
        }
      }
    } catch (ReportException e) {
      System.err.println("kaoping: " + e.getMessage());
      return 1;
    }
    return 0;
  }

  /** Writes the reports of a period and says where they went. */
  static List<Path> write(KaopingConfig config, ServingPublisher.Target serving, String period, Optional<Long> unit, Path dir,
      PrintStream out) throws Exception {
    long started = System.currentTimeMillis();
    List<Path> files = ReportGenerator.generate(Serving.reportReader(serving), period, unit, dir, config.reportFont(), line -> out.println("      " + line));
    out.printf("Evaluation reports for %s: %d PDF(s) in %s (%.1f s)%n", period, files.size(), dir,
        (System.currentTimeMillis() - started) / 1000.0);
    return files;
  }
}
