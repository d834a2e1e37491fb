package org.kaoping.dashboards.report;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.kaoping.dashboards.report.PdfPages.Column;
import org.kaoping.dashboards.report.ServingData.Metrics;
import org.kaoping.dashboards.report.ServingData.Period;
import org.kaoping.dashboards.report.ServingData.Publication;
import org.kaoping.dashboards.report.ServingData.TaskMonth;
import org.kaoping.dashboards.report.ServingData.UnitScore;

/** The city-wide summary for the assessment committee (全市履职评估汇总): every peer group's ranking and the exceptions. */
final class CitySummary {
  private static final double[] BUCKETS = {0.8, 0.9, 1.0, 1.1};
  private static final List<String> BUCKET_LABELS = List.of("<80%", "80%–90%", "90%–100%", "100%–110%", "≥110%");

  private final ServingData data;
  private final CjkFont font;
  private final Publication publication;
  private final Period period;

  CitySummary(ServingData data, CjkFont font, Publication publication, Period period) {
    this.data = data;
    this.font = font;
    this.publication = publication;
    this.period = period;
  }

  void write(List<UnitScore> units, Path file) throws IOException, SQLException {
    String title = "全市履职评估汇总";
    List<Metrics> unitMetrics = data.metrics(null, period.period());
    Map<Long, Double> ratios = unitMetrics.stream().filter(m -> m.workloadRatio() != null)
        .collect(Collectors.toMap(Metrics::entityId, Metrics::workloadRatio));
    // like every ratio above a person: summed workload over summed expected minutes, never an average of ratios
    long expected = unitMetrics.stream().mapToLong(Metrics::expectedMinutes).sum();
    Double cityRatio = expected == 0 ? null : (double) unitMetrics.stream().mapToLong(Metrics::workloadMinutes).sum() / expected;
    try (PdfPages pdf = new PdfPages(font, title, title + " · " + Words.period(period.period()) + " · 发布批次 " + publication.id())) {
      pdf.title(title + "（" + Words.period(period.period()) + "）", period.start() + " 至 " + period.end() + "　共 " + units.size()
          + " 个单位　" + (period.complete() ? "数据完整" : "暂定数据（期间未结束）") + "　数据截至 " + publication.asOf());
      long above = ratios.values().stream().filter(r -> r > 1.0).count();
      long below = ratios.values().stream().filter(r -> r < 0.9).count();
      pdf.figures(List.of(new String[] {"参评单位", units.size() + " 个"},
          new String[] {"全市工作量比率", Words.percent(cityRatio)},
          new String[] {"高于 100% 的单位", above + " 个"}, new String[] {"低于 90% 的单位", below + " 个"}));
      pdf.heading("一、各同类组排名", 80);
      Map<String, List<UnitScore>> groups = units.stream().collect(Collectors.groupingBy(UnitScore::peerGroup,
          LinkedHashMap::new, Collectors.toList()));
      for (Map.Entry<String, List<UnitScore>> g : groups.entrySet()) {
        pdf.paragraph(Words.peerGroup(g.getKey()) + "（" + g.getValue().size() + " 个单位）", 10.5f);
        pdf.table(List.of(Column.number("排名", 0.8f), Column.text("单位", 3), Column.number("得分", 1), Column.text("等级", 0.8f),
            Column.number("较上期", 1), Column.text("排名变化", 1.2f), Column.number("工作量比率", 1.3f)),
            g.getValue().stream().map(u -> List.of(u.rank() == null ? "—" : Integer.toString(u.rank()), u.unitName(),
                Words.decimal(u.score()), Words.grade(u.grade()), Words.signed(u.scoreChange()), Words.rankChange(u.rankChange()),
                Words.percent(ratios.get(u.unitId())))).toList());
      }
      gradeRules(pdf, units);
      pdf.heading("二、工作量比率分布", 140);
      int[] counts = new int[BUCKET_LABELS.size()];
      ratios.values().forEach(r -> counts[bucket(r)]++);
      pdf.drawing(140, Charts.histogram(BUCKET_LABELS, java.util.Arrays.stream(counts).boxed().toList(), List.of(Charts.amber(),
          Charts.amber(), Charts.bar(), Charts.red(), Charts.red())));
      Map<Long, String> names = units.stream().collect(Collectors.toMap(UnitScore::unitId, UnitScore::unitName));
      pdf.paragraph("工作量比率高于 100% 的单位（" + above + " 个）：" + list(ratios, names, r -> r > 1.0, true) + "。", 10);
      pdf.paragraph("工作量比率低于 90% 的单位（" + below + " 个）：" + list(ratios, names, r -> r < 0.9, false) + "。", 10);
      pdf.heading("三、排名变化较大的单位", 60);
      List<UnitScore> moved = units.stream().filter(u -> u.rankChange() != null && u.rankChange() != 0)
          .sorted(Comparator.comparing((UnitScore u) -> -Math.abs(u.rankChange())).thenComparing(UnitScore::unitId)).limit(8).toList();
      pdf.table(List.of(Column.text("单位", 3), Column.text("同类组", 1.6f), Column.number("上期排名", 1), Column.number("本期排名", 1),
          Column.text("变化", 1.2f), Column.number("得分变化", 1)), moved.stream().map(u -> List.of(u.unitName(),
              Words.peerGroup(u.peerGroup()), String.valueOf(u.previousRank()), String.valueOf(u.rank()),
              Words.rankChange(u.rankChange()), Words.signed(u.scoreChange()))).toList());
      pdf.heading("四、目标任务亮红牌的单位", 60);
      List<TaskMonth> red = data.taskMonths(null, period).stream().filter(t -> t.escalation().equals("RED_CARD")).toList();
      pdf.table(List.of(Column.text("单位", 2.6f), Column.text("任务", 2.4f), Column.text("月份", 1), Column.number("计划进度", 1.1f),
          Column.number("实际进度", 1.1f)), red.stream().map(t -> List.of(names.getOrDefault(t.unitId(), "单位 " + t.unitId()),
              t.title(), t.month().toString().substring(0, 7), Words.decimal(t.planned()) + "%",
              t.reported() == null ? "未报" : Words.decimal(t.reported()) + "%")).toList());
      pdf.heading("五、数据说明", 60);
      pdf.paragraph(ReportGenerator.dataNote(publication, period), 8);
      pdf.save(file);
    }
  }

  /** The units whose grade a grade rule set or whose standing carries a consequence (the scheme's grade_rules). */
  private static void gradeRules(PdfPages pdf, List<UnitScore> units) throws IOException {
    List<UnitScore> ruled = units.stream().filter(u -> u.gradeRule() != null || u.consequences() != null).toList();
    pdf.paragraph("等次规则与考核结果运用（" + ruled.size() + " 个单位）" + (ruled.isEmpty() ? "：无" : ""), 10.5f);
    if (!ruled.isEmpty()) {
      // widths for the longest labels: 10 characters of a rule, 17 of two consequences
      pdf.table(List.of(Column.text("单位", 2.4f), Column.text("按得分", 0.8f), Column.text("等次", 0.6f),
          Column.text("等次规则", 2.4f), Column.text("结果运用", 4.2f)), ruled.stream().map(u -> List.of(u.unitName(),
              Words.grade(u.gradeBeforeRules()), Words.grade(u.grade()), u.gradeRule() == null ? "—" : Words.gradeRule(u.gradeRule()),
              Words.consequences(u.consequences()))).toList());
    }
  }

  private static int bucket(double ratio) {
    int i = 0;
    while (i < BUCKETS.length && ratio >= BUCKETS[i]) {
      i++;
    }
    return i;
  }

  private static String list(Map<Long, Double> ratios, Map<Long, String> names, java.util.function.DoublePredicate which,
      boolean highestFirst) {
    List<Map.Entry<Long, Double>> hits = new ArrayList<>(ratios.entrySet().stream().filter(e -> which.test(e.getValue()))
        .filter(e -> names.containsKey(e.getKey())).toList());
    Comparator<Map.Entry<Long, Double>> byRatio = Map.Entry.comparingByValue();
    hits.sort(highestFirst ? byRatio.reversed() : byRatio);
    return hits.isEmpty() ? "无" : hits.stream().map(e -> names.get(e.getKey()) + " " + Words.percent(e.getValue()))
        .collect(Collectors.joining("、"));
  }
}
