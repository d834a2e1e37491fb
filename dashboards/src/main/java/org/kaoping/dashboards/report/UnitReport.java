package org.kaoping.dashboards.report;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.kaoping.dashboards.report.PdfPages.Column;
import org.kaoping.dashboards.report.ServingData.DutyCoverage;
import org.kaoping.dashboards.report.ServingData.DutyOverlap;
import org.kaoping.dashboards.report.ServingData.Metrics;
import org.kaoping.dashboards.report.ServingData.MissingDuty;
import org.kaoping.dashboards.report.ServingData.Period;
import org.kaoping.dashboards.report.ServingData.PersonScore;
import org.kaoping.dashboards.report.ServingData.Reminder;
import org.kaoping.dashboards.report.ServingData.Points;
import org.kaoping.dashboards.report.ServingData.Publication;
import org.kaoping.dashboards.report.ServingData.Responsibility;
import org.kaoping.dashboards.report.ServingData.TaskMonth;
import org.kaoping.dashboards.report.ServingData.UnitScore;

/** One unit's evaluation report (单位履职评估报告) for one period. */
final class UnitReport {
  private final ServingData data;
  private final CjkFont font;
  private final Publication publication;
  private final Period period;

  UnitReport(ServingData data, CjkFont font, Publication publication, Period period) {
    this.data = data;
    this.font = font;
    this.publication = publication;
    this.period = period;
  }

  void write(UnitScore u, Path file) throws IOException, SQLException {
    String title = u.unitName() + "履职评估报告";
    try (PdfPages pdf = new PdfPages(font, title, title + " · " + Words.period(period.period()) + " · 发布批次 " + publication.id())) {
      pdf.title(title, Words.period(period.period()) + "（" + period.start() + " 至 " + period.end() + "）　同类组："
          + Words.peerGroup(u.peerGroup()) + "　" + (period.complete() ? "数据完整" : "暂定数据（期间未结束）"));
      pdf.figures(List.of(
          new String[] {"综合得分", u.score() == null ? "无得分" : Words.decimal(u.score())},
          new String[] {"组内排名", u.rank() == null ? "—" : u.rank() + " / " + u.groupSize()},
          new String[] {"等级", Words.grade(u.grade())},
          new String[] {"较上期", u.scoreChange() == null ? "—" : Words.signed(u.scoreChange()) + " 分"},
          new String[] {"排名变化", Words.rankChange(u.rankChange())}));
      if (u.score() == null) {
        pdf.paragraph("本期无综合得分：" + u.nullReason() + "。", 10);
      } else if (u.previousScore() != null) {
        pdf.paragraph("上期得分 " + Words.decimal(u.previousScore()) + "，排名第 " + u.previousRank() + " 位；本期得分 "
            + Words.decimal(u.score()) + "，在" + Words.peerGroup(u.peerGroup()) + " " + u.groupSize() + " 个单位中排名第 "
            + u.rank() + " 位，等级" + Words.grade(u.grade()) + "。", 10);
      }
      gradeRules(pdf, u);
      scoreTable(pdf, u);
      List<Metrics> metrics = data.metrics(u.unitId(), period.period());
      trend(pdf, u);
      categories(pdf, u);
      sections(pdf, metrics);
      people(pdf, u, metrics);
      tasks(pdf, u);
      supervisionAndService(pdf, u);
      reminders(pdf, u);
      duties(pdf, u, metrics);
      headcount(pdf, u);
      dataNote(pdf);
      pdf.save(file);
    }
  }

  /**
   * Golmud's grade rules (the scheme's grade_rules): the cap that set the grade, and, in a year or whenever the scores
   * flag one, the consequences of the unit's standing, with the year before that two-year rules read.
   */
  private void gradeRules(PdfPages pdf, UnitScore u) throws IOException {
    if (u.gradeRule() != null) {
      pdf.paragraph("等次规则：得分对应等次为" + Words.grade(u.gradeBeforeRules()) + "；本期" + Words.gradeRule(u.gradeRule())
          + "，等次定为" + Words.grade(u.grade()) + "。", 10);
    }
    if (u.grade() == null || !period.type().equals("YEAR") && u.consequences() == null) {
      return;
    }
    String previous = u.previousGrade() == null
        ? "上一年度无考核结果：连续两年的规则（连续两年优秀，连续两年居末位或一般等次）需要上一年度的等次和名次，本年度不适用"
        : "上一年度为" + Words.standing(u.previousPlace(), u.previousGrade()) + "，本年度为" + Words.standing(u.place(), u.grade());
    pdf.paragraph("考核结果运用：" + Words.consequences(u.consequences()) + "。" + previous + "。", 10);
  }

  private void scoreTable(PdfPages pdf, UnitScore u) throws IOException, SQLException {
    pdf.heading("一、得分构成", 120);
    List<List<String>> rows = new ArrayList<>();
    for (Points p : data.points("UNIT", u.unitId(), period.period())) {
      rows.add(List.of(Words.indicator(p.indicator()), p.value() == null ? "无数据" : Words.percent(p.value()),
          Words.decimal(p.weight()), Words.weight(p.effectiveWeight()), Words.decimal(p.points())));
    }
    rows.add(List.of("指标得分合计", "", "", "", Words.decimal(u.indicatorPoints())));
    rows.add(List.of("扣分（督办问责）", "", "", "", u.penalty().signum() == 0 ? Words.decimal(u.penalty()) : "-" + Words.decimal(u.penalty())));
    rows.add(List.of("加分", "", "", "", u.bonus().signum() == 0 ? Words.decimal(u.bonus()) : "+" + Words.decimal(u.bonus())));
    rows.add(List.of("综合得分", "", "", "", Words.decimal(u.score())));
    pdf.table(List.of(Column.text("指标", 3), Column.number("指标值", 1.6f), Column.number("权重", 1.2f),
        Column.number("有效权重", 1.4f), Column.number("得分", 1.4f)), rows);
    pdf.paragraph("得分 = 有效权重 × 评分曲线给出的得分率；某项指标本期无数据时，其权重按比例分给其余指标（有效权重）。"
        + "综合得分 = 指标得分合计 - 扣分 + 加分。", 8.5f);
  }

  private void trend(PdfPages pdf, UnitScore u) throws IOException, SQLException {
    pdf.heading("二、工作量比率月度走势", 170);
    List<Metrics> months = data.monthlyTrend(u.unitId(), period);
    pdf.drawing(170, Charts.workloadTrend(months.stream().map(m -> Integer.parseInt(m.period().substring(5)) + "月").toList(),
        months.stream().map(m -> m.workloadRatio() == null ? null : m.workloadRatio() * 100).toList()));
    pdf.paragraph("工作量比率 = 计入的工作日志分钟数 ÷（应出勤工作日 × 420 分钟）。100% 相当于每个工作日满 7 小时工作量。", 8.5f);
  }

  private void categories(PdfPages pdf, UnitScore u) throws IOException, SQLException {
    List<ServingData.Share> shares = data.categoryShares(u.unitId(), period.period());
    pdf.heading("三、工作类别占比", shares.size() * 16);
    if (shares.isEmpty()) {
      pdf.paragraph("本期无计入的工作日志。", 10);
      return;
    }
    double max = shares.stream().mapToDouble(ServingData.Share::share).max().orElse(1) * 100;
    pdf.drawing(shares.size() * 16, Charts.bars(shares.stream().map(ServingData.Share::name).toList(),
        shares.stream().map(s -> s.share() * 100).toList(), max, "%"));
  }

  private void sections(PdfPages pdf, List<Metrics> metrics) throws IOException {
    pdf.heading("四、科室情况", 60);
    List<List<String>> rows = metrics.stream().filter(m -> m.level().equals("SECTION"))
        .sorted(Comparator.comparing(Metrics::workloadRatio, Comparator.nullsLast(Comparator.reverseOrder())))
        .map(m -> List.of(m.name(), Words.percent(m.workloadRatio()), Words.percent(m.fillRate()), Words.percent(m.reviewRate()),
            Words.percent(m.returnRate())))
        .toList();
    pdf.table(List.of(Column.text("科室", 3), Column.number("工作量比率", 1.5f), Column.number("填报率", 1.5f),
        Column.number("审阅率", 1.5f), Column.number("退回率", 1.5f)), rows);
    Metrics unit = metrics.stream().filter(m -> m.level().equals("UNIT")).findFirst().orElse(null);
    if (unit != null) {
      pdf.paragraph("本单位日志退回率 " + Words.percent(unit.returnRate()) + "（至少被退回一次的日志 ÷ 需审阅的日志）；"
          + "退回后修改重新提交的日志再审一轮，审阅是否完成、是否按时以最后一轮为准。", 8.5f);
    }
  }

  private void people(PdfPages pdf, UnitScore u, List<Metrics> metrics) throws IOException, SQLException {
    pdf.heading("五、人员情况（按贡献指数排名）", 60);
    Map<Long, String> sectionNames = sectionNames(metrics);
    Map<Long, PersonScore> scores = data.personScores(u.unitId(), period.period()).stream()
        .collect(Collectors.toMap(PersonScore::staffId, s -> s));
    Map<Long, Responsibility> duties = data.responsibilities(u.unitId(), period.period()).stream()
        .collect(Collectors.toMap(Responsibility::staffId, r -> r));
    List<Metrics> persons = new ArrayList<>(metrics.stream().filter(m -> m.level().equals("PERSON")).toList());
    persons.sort(Comparator.comparing((Metrics m) -> scores.containsKey(m.entityId()) ? scores.get(m.entityId()).rank() : null,
        Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(Metrics::entityId));
    List<List<String>> rows = new ArrayList<>();
    for (Metrics m : persons) {
      PersonScore s = scores.get(m.entityId());
      Responsibility d = duties.get(m.entityId());
      rows.add(List.of(s == null || s.rank() == null ? "—" : s.rank() + " / " + s.unitSize(), m.name(),
          m.sectionId() == null ? "单位领导" : sectionNames.getOrDefault(m.sectionId(), "—"), Words.percent(m.workloadRatio()),
          Words.percent(m.fillRate()), Words.percent(m.reviewRate()),
          d == null ? "—" : d.completedByDeadline() + "/" + d.itemsDue(), s == null ? "—" : Words.decimal(s.score()),
          s == null ? "—" : Words.grade(s.grade())));
    }
    pdf.table(List.of(Column.number("排名", 1.1f), Column.text("姓名", 1.3f), Column.text("科室", 1.6f),
        Column.number("工作量比率", 1.3f), Column.number("填报率", 1.1f), Column.number("审阅率", 1.1f),
        Column.number("责任事项", 1.1f), Column.number("贡献指数", 1.2f), Column.text("等级", 0.8f)), rows);
    pdf.paragraph("审阅率为其日志中已完成全部审阅层级的比例；主要领导的日志无需审阅，显示为“—”。责任事项为本人负责的督办事项和目标任务"
        + "中按期完成数 / 本期到期（或提前完成）数，计入贡献指数，其督办事项所受处理同样扣减本人贡献指数；本期没有的显示为“—”。", 8.5f);
  }

  private void tasks(PdfPages pdf, UnitScore u) throws IOException, SQLException {
    pdf.heading("六、目标任务进度预警", 80);
    List<TaskMonth> months = data.taskMonths(u.unitId(), period);
    if (months.isEmpty()) {
      pdf.paragraph("本期无目标任务。", 10);
      return;
    }
    Map<String, Long> byColour = months.stream().collect(Collectors.groupingBy(TaskMonth::colour, LinkedHashMap::new,
        Collectors.counting()));
    pdf.paragraph("本期各月预警（任务·月）：" + List.of("BLACK", "RED", "GREEN", "BLUE", "ORANGE").stream()
        .map(c -> Words.colour(c) + " " + byColour.getOrDefault(c, 0L)).collect(Collectors.joining("，")) + "。", 9.5f);
    Map<String, TaskMonth> latest = new LinkedHashMap<>();
    months.forEach(t -> latest.put(t.title(), t));
    pdf.table(List.of(Column.text("任务（期末月）", 2.4f), Column.text("类型", 0.8f), Column.number("分值", 0.8f),
        Column.number("计划进度", 1.1f), Column.number("实际进度", 1.1f), Column.text("预警", 2.2f), Column.text("督促", 0.8f)),
        latest.values().stream().map(t -> List.of(t.title(), Words.kind(t.kind()), Words.decimal(t.points()),
            Words.decimal(t.planned()) + "%", t.reported() == null ? "未报" : Words.decimal(t.reported()) + "%",
            Words.colour(t.colour()), Words.escalation(t.escalation()))).toList());
    List<TaskMonth> cards = months.stream().filter(t -> t.escalation().endsWith("_CARD")).toList();
    pdf.paragraph(cards.isEmpty() ? "本期无红牌、黄牌。" : "本期红牌、黄牌如下：", 9.5f);
    if (!cards.isEmpty()) {
      pdf.table(List.of(Column.text("月份", 1), Column.text("任务", 2.4f), Column.text("督促", 0.8f), Column.number("计划进度", 1.1f),
          Column.number("实际进度", 1.1f), Column.text("预警", 2.2f)), cards.stream().map(t -> List.of(
              t.month().toString().substring(0, 7), t.title(), Words.escalation(t.escalation()), Words.decimal(t.planned()) + "%",
              t.reported() == null ? "未报" : Words.decimal(t.reported()) + "%", Words.colour(t.colour()))).toList());
    }
  }

  private void supervisionAndService(PdfPages pdf, UnitScore u) throws IOException, SQLException {
    pdf.heading("七、督办事项与审批服务事项执行情况", 60);
    ServingData.Supervision s = data.supervision(u.unitId(), period.period());
    pdf.paragraph(s == null || s.due() == 0 ? "督办事项：本期无到期或提前办结的督办事项。"
        : "督办事项：本期计入 " + s.due() + " 项（本期到期的，及提前办结的），按期完成 " + s.byDeadline() + " 项，完成率 " + Words.percent(s.rate())
            + "，尚未办结 " + s.open() + " 项；问责情况：提醒 " + s.reminders() + " 次，约谈 " + s.talks() + " 次，通报 "
            + s.notices() + " 次，诫勉 " + s.admonitions() + " 次，追责 " + s.accountabilities() + " 次。", 10);
    ServingData.Service v = data.service(u.unitId(), period.period());
    pdf.paragraph(v == null ? "审批服务：本单位无审批服务事项。"
        // the counts are of different cases (a case accepted last period may be completed in this one), so the
        // sentence says which each counts rather than letting them look like parts of one total
        : "审批服务：事项 " + v.items() + " 项（零办理 " + v.zeroHandling() + " 项）；本期受理 " + v.accepted() + " 件；本期办结 "
            + v.completed() + " 件（含上期受理的），其中承诺时限内办结 " + v.onTime() + " 件，按时办结率 "
            + Words.percent(v.onTimeRate()) + "；本期退回或转办 " + v.rejectedOrTransferred() + " 件；期末超期未办结 "
            + v.overdueOpen() + " 件（含上期受理的）。", 10);
  }

  /** 三级提醒: the bells, yellow and red cards the unit's supervised items and target tasks reached in the period, each listed. */
  private void reminders(PdfPages pdf, UnitScore u) throws IOException, SQLException {
    pdf.heading("八、三级提醒", 60);
    List<Reminder> reminders = data.reminders(u.unitId(), period);
    if (reminders.isEmpty()) {
      pdf.paragraph("本期督办事项和目标任务未触发警铃、黄牌或红牌提醒。", 10);
      return;
    }
    Map<String, Long> byLevel = reminders.stream().collect(Collectors.groupingBy(Reminder::level, Collectors.counting()));
    pdf.paragraph("本期发出提醒 " + reminders.size() + " 次：" + List.of("BELL", "YELLOW_CARD", "RED_CARD").stream()
        .map(l -> Words.escalation(l) + " " + byLevel.getOrDefault(l, 0L) + " 次").collect(Collectors.joining("，")) + "。", 10);
    pdf.table(List.of(Column.text("日期", 1.1f), Column.text("级别", 0.6f), Column.text("接收人", 1.7f),
        Column.text("原因（事项、期限、逾期或落后情况）", 5.6f)), reminders.stream().map(r -> List.of(r.reachedOn().toString(),
            Words.escalation(r.level()), r.recipient() == null ? "无人可送达（单位无主要领导）"
                : r.recipient() + "（" + Words.recipientRole(r.recipientRole()) + "）", r.reason())).toList());
    pdf.paragraph("三级提醒：督办事项临近期限响警铃（致责任人），逾期亮黄牌（致分管领导），逾期较久亮红牌（致主要领导）；目标任务随月度进度"
        + "预警升级。每件事项每级只提醒一次，缺少接收人时由主要领导代收；具体天数见“原因”一栏。", 8.5f);
  }

  /** 职能履行: the duties of the register worked on in the period, by section, the ones missing, and those other units claim. */
  private void duties(PdfPages pdf, UnitScore u, List<Metrics> metrics) throws IOException, SQLException {
    pdf.heading("九、职能履行", 80);
    List<DutyCoverage> coverage = data.dutyCoverage(u.unitId(), period.period());
    DutyCoverage unit = coverage.stream().filter(c -> c.level().equals("UNIT")).findFirst().orElse(null);
    if (unit == null) {
      pdf.paragraph("本单位未登记职能任务。", 10);
      return;
    }
    pdf.paragraph("本单位登记职能任务 " + unit.listed() + " 项，本期有工作记录的 " + unit.withWork() + " 项，职能履行率 "
        + Words.percent(unit.rate()) + "，职能缺失 " + (unit.listed() - unit.withWork()) + " 项；记入职能的工作量 "
        + Words.hours(unit.minutes()) + " 小时，平均每项职能 " + Words.hours((double) unit.minutes() / unit.listed()) + " 小时。", 10);
    Map<Long, String> sectionNames = sectionNames(metrics);
    pdf.table(List.of(Column.text("科室", 3), Column.number("职能任务", 1.2f), Column.number("有工作记录", 1.3f),
        Column.number("履行率", 1.2f), Column.number("平均每项（小时）", 1.6f)),
        coverage.stream().filter(c -> c.level().equals("SECTION")).map(c -> List.of(
            sectionNames.getOrDefault(c.entityId(), "科室 " + c.entityId()), Long.toString(c.listed()), Long.toString(c.withWork()),
            Words.percent(c.rate()), Words.hours((double) c.minutes() / c.listed()))).toList());
    List<MissingDuty> missing = data.missingDuties(u.unitId(), period.period());
    pdf.paragraph(missing.isEmpty() ? "职能缺失：无，每项职能本期均有工作记录。" : "职能缺失（本期无工作记录）：" + missing.stream()
        .map(m -> m.name() + "（" + (m.sectionId() == null ? "单位整体" : sectionNames.getOrDefault(m.sectionId(), "科室")) + "）")
        .collect(Collectors.joining("、")) + "。", 9.5f);
    List<DutyOverlap> overlaps = data.dutyOverlaps(u.unitId());
    pdf.paragraph(overlaps.isEmpty() ? "职责交叉：无。" : "职责交叉：" + overlaps.stream()
        .map(o -> o.name() + "（" + Words.dutyOverlap(o.kind()) + "，另见" + o.otherUnits() + "）")
        .collect(Collectors.joining("；")) + "。", 9.5f);
    pdf.paragraph("职能履行率 = 本期有计入工作日志的职能任务 ÷ 登记的职能任务（三定职能分解到科室）；日志须填写本单位的职能任务方计入。"
        + "职责交叉为同类组内其他单位登记同名职能，或职责边界清单编号相同的职能。", 8.5f);
  }

  private static Map<Long, String> sectionNames(List<Metrics> metrics) {
    return metrics.stream().filter(m -> m.level().equals("SECTION")).collect(Collectors.toMap(Metrics::entityId, Metrics::name));
  }

  private void headcount(PdfPages pdf, UnitScore u) throws IOException, SQLException {
    pdf.heading("十、编制效能", 40);
    ServingData.Headcount h = data.headcount(u.unitId(), period.period());
    if (h == null) {
      pdf.paragraph("本期无编制效能数据。", 10);
      return;
    }
    String authorized = h.authorized() == null ? "编制数未登记" : "编制 " + h.authorized() + " 名";
    pdf.paragraph(String.format("按本期计入的工作量折算，相当于 %.1f 名全时人员（每个工作日 7 小时），实有人员 %s 人，%s。", h.impliedFte(),
        BigDecimal.valueOf(h.actualStaff()).setScale(1, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString(),
        authorized) + (h.authorized() == null ? "" : h.impliedFte() > h.authorized()
            ? "折算工作量超过编制数，可作为增加编制的依据。" : "折算工作量低于编制数 " + String.format("%.1f", h.authorized() - h.impliedFte()) + " 名。"), 10);
  }

  private void dataNote(PdfPages pdf) throws IOException {
    pdf.heading("十一、数据说明", 60);
    pdf.paragraph(ReportGenerator.dataNote(publication, period), 8);
  }
}
