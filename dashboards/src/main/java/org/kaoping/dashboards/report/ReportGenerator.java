package org.kaoping.dashboards.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.kaoping.dashboards.report.ServingData.Period;
import org.kaoping.dashboards.report.ServingData.Publication;
import org.kaoping.dashboards.report.ServingData.UnitScore;
import org.kaoping.vocabulary.Labels;

/**
 * The evaluation reports (履职评估报告) of one period as A4 PDFs: one per unit and the city-wide summary, written from
 * the published numbers in the serving database (views of schema kaoping, read-only). The one entry point for the
 * command line, the demo and the control API.
 */
public final class ReportGenerator {
  /** Where to read: a read-only login on the serving database. */
  public record ServingConnection(String jdbcUrl, String user, String password) {}

  /** The marts behind the views the reports read. */
  private static final List<String> READ_TABLES = List.of("unit_score_by_period", "score_indicator_points",
      "person_score_by_period", "metrics_by_period", "category_share_by_period", "headcount_efficiency_by_period",
      "service_execution_by_period", "supervision_by_period", "target_task_warning", "responsibility_by_period",
      "duty_coverage_by_period", "duty_by_period", "duty_overlap", "reminder", "dim_staff");

  private ReportGenerator() {}

  /**
   * Writes the reports of {@code period} (2025-Q3, 2025-H1, 2025-09 or 2025) into {@code outDir}: every unit's (or only
   * {@code unitId}'s) and, without a unit, the city-wide summary; returns the files written. Fails with a
   * {@link ReportException} naming the published periods when {@code period} has no published scores.
   *
   * @param font a TrueType font (.ttf or .ttc) with every character the reports print; null: WenQuanYi Zen Hei
   */
  public static List<Path> generate(ServingConnection serving, String period, Optional<Long> unitId, Path outDir, Path font,
      Consumer<String> progress) throws IOException {
    try (Connection c = DriverManager.getConnection(serving.jdbcUrl(), serving.user(), serving.password());
         CjkFont cjk = CjkFont.open(font, progress)) {
      c.setReadOnly(true);
      c.setAutoCommit(false);
      // one snapshot of the database, so a publication switching mid-run cannot mix two publications in a report
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      return generate(new ServingData(c), cjk, period, unitId, outDir, progress);
    } catch (SQLException e) {
      throw new ReportException("cannot read the serving database " + serving.jdbcUrl() + ": " + e.getMessage(), e);
    }
  }

  /** The latest complete period of a type (QUARTER, HALF, MONTH, YEAR) with published scores, if any. */
  public static Optional<String> latestComplete(ServingConnection serving, String periodType) {
    try (Connection c = DriverManager.getConnection(serving.jdbcUrl(), serving.user(), serving.password())) {
      return new ServingData(c).periods().stream().filter(p -> p.type().equals(periodType) && p.complete())
          .reduce((a, b) -> b).map(Period::period);
    } catch (SQLException e) {
      throw new ReportException("cannot read the serving database " + serving.jdbcUrl() + ": " + e.getMessage(), e);
    }
  }

  private static List<Path> generate(ServingData data, CjkFont font, String period, Optional<Long> unitId, Path outDir,
      Consumer<String> progress) throws IOException, SQLException {
    Publication publication = data.publication();
    List<Period> periods = data.periods();
    Period p = periods.stream().filter(x -> x.period().equals(period)).findFirst().orElseThrow(() -> new ReportException(
        "period " + period + " has no published scores; published periods: "
            + periods.stream().map(Period::period).collect(Collectors.joining(", "))));
    List<UnitScore> units = data.unitScores(period);
    List<UnitScore> chosen = unitId.map(id -> units.stream().filter(u -> u.unitId() == id).toList()).orElse(units);
    if (chosen.isEmpty()) {
      throw new ReportException("unit " + unitId.get() + " has no published score for " + period + "; units: "
          + units.stream().map(u -> u.unitId() + " " + u.unitName()).collect(Collectors.joining(", ")));
    }
    Files.createDirectories(outDir);
    List<Path> written = new ArrayList<>();
    UnitReport unitReport = new UnitReport(data, font, publication, p);
    for (UnitScore u : chosen) {
      Path file = outDir.resolve(period + "_U" + String.format("%02d", u.unitId()) + "_" + safe(u.unitName()) + ".pdf");
      unitReport.write(u, file);
      written.add(file);
      progress.accept("report " + written.size() + "/" + chosen.size() + (unitId.isPresent() ? "" : " + summary") + ": "
          + file.getFileName());
    }
    if (unitId.isEmpty()) {
      Path file = outDir.resolve(period + "_全市汇总.pdf");
      new CitySummary(data, font, publication, p).write(units, file);
      written.add(file);
      progress.accept("city-wide summary: " + file.getFileName());
    }
    return written;
  }

  /** The data note every report ends with: completeness, as-of date, publication and the snapshots read. */
  static String dataNote(Publication publication, Period period) {
    return (period.complete() ? "本期已结束，数据完整。" : "本期尚未结束，为暂定数据，期末后会更新。") + "数据截至 " + publication.asOf()
        + "；发布批次 " + publication.id() + "（" + publication.publishedAt().toLocalDate() + " 发布，构建 " + publication.buildId()
        + "）；评分方案 " + Labels.of(Labels.Kind.SCHEME, publication.scheme()) + " 版本 " + publication.schemeVersion().substring(0, Math.min(12,
            publication.schemeVersion().length())) + "。本报告的数字均取自服务库视图 kaoping.*，可凭发布批次与以下数据仓库快照（Iceberg 快照号）复现："
        + snapshots(publication.tableSnapshots()) + "。";
  }

  /** The snapshots of the marts the reports read, from the publication's table → snapshot map. */
  private static String snapshots(String json) {
    List<String> out = new ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"mart\\.([a-z_]+)\":\\s*(\\d+)").matcher(json);
    while (m.find()) {
      if (READ_TABLES.contains(m.group(1))) {
        out.add(m.group(1) + " " + m.group(2));
      }
    }
    return String.join("，", out);
  }

  /** A unit name as a file name on any file system: characters Windows or macOS reserve become '_'. */
  static String safe(String name) {
    return name.replaceAll("[\\\\/:*?\"<>|\\p{Cntrl}]", "_").strip();
  }
}
