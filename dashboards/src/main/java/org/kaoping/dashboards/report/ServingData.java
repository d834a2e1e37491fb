package org.kaoping.dashboards.report;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** The published numbers a report prints, read from the serving database's views (schema kaoping) only. */
final class ServingData {
  record Publication(long id, OffsetDateTime publishedAt, LocalDate asOf, String buildId, String scheme,
      String schemeVersion, String tableSnapshots) {}

  record Period(String period, String type, LocalDate start, LocalDate end, boolean complete) {}

  record UnitScore(long unitId, String unitName, String peerGroup, BigDecimal score, BigDecimal indicatorPoints,
      BigDecimal penalty, BigDecimal bonus, String nullReason, Integer rank, Integer groupSize, String grade,
      BigDecimal previousScore, Integer previousRank, BigDecimal scoreChange, Integer rankChange, String gradeBeforeRules,
      String gradeRule, String place, String previousGrade, String previousPlace, String consequences) {}

  record Points(String indicator, Double value, BigDecimal weight, BigDecimal effectiveWeight, BigDecimal points) {}

  record Metrics(String level, long entityId, Long sectionId, String name, Double workloadRatio, Double fillRate,
      Double reviewRate, String period, long workloadMinutes, long expectedMinutes, Double returnRate) {}

  record Share(String name, double share) {}

  record PersonScore(long staffId, BigDecimal score, Integer rank, Integer unitSize, String grade) {}

  /** Supervised items and target tasks one person answers for, settled in the period, and how many by their deadline. */
  record Responsibility(long staffId, long itemsDue, long completedByDeadline) {}

  record Headcount(double impliedFte, double actualStaff, Integer authorized) {}

  record Service(long items, long zeroHandling, long accepted, long completed, long onTime, Double onTimeRate,
      long rejectedOrTransferred, long overdueOpen) {}

  record Supervision(long due, long byDeadline, Double rate, long open, long reminders, long talks, long notices,
      long admonitions, long accountabilities) {}

  /** Duty coverage of the unit (level UNIT) or one of its sections (SECTION) in a period. */
  record DutyCoverage(String level, long entityId, long listed, long withWork, double rate, long minutes) {}

  /** A duty of the unit with no logged work in the period (职能缺失); sectionId null: the unit's as a whole. */
  record MissingDuty(String name, Long sectionId) {}

  /** A duty of the unit that other units claim too (职责交叉): how, and which units. */
  record DutyOverlap(String name, String kind, String otherUnits) {}

  /** A reminder level an item reached in the period (三级提醒), to whom and why. */
  record Reminder(LocalDate reachedOn, String level, String recipient, String recipientRole, String reason) {}

  record TaskMonth(long unitId, String title, String kind, BigDecimal points, LocalDate month, BigDecimal planned,
      BigDecimal reported, String colour, String escalation) {}

  private final Connection c;

  ServingData(Connection c) {
    this.c = c;
  }

  Publication publication() throws SQLException {
    if (query("SELECT to_regclass('kaoping.unit_score_by_period') IS NULL", List.of(), rs -> rs.getBoolean(1)).get(0)) {
      throw new ReportException("the serving database has nothing published yet (run kaoping publish, or kaoping demo)");
    }
    List<Publication> p = query("SELECT publication_id, published_at, as_of_date, build_id, scheme_name, scheme_version,"
        + " table_snapshots::text FROM kaoping.publication WHERE publication_id = (SELECT max(publication_id) FROM"
        + " kaoping.unit_score_by_period)", List.of(), rs -> new Publication(rs.getLong(1),
            rs.getObject(2, OffsetDateTime.class), rs.getObject(3, LocalDate.class), rs.getString(4), rs.getString(5),
            rs.getString(6), rs.getString(7)));
    if (p.isEmpty()) {
      throw new ReportException("the serving database has no published scores yet (run kaoping publish)");
    }
    return p.get(0);
  }

  /** Every period with published unit scores, in calendar order. */
  List<Period> periods() throws SQLException {
    return query("SELECT DISTINCT period, period_type, period_start, period_end, is_complete FROM kaoping.metrics_by_period"
        + " WHERE level = 'UNIT' AND period IN (SELECT period FROM kaoping.unit_score_by_period)"
        + " ORDER BY period_start, period_end DESC", List.of(), rs -> new Period(rs.getString(1), rs.getString(2),
            rs.getObject(3, LocalDate.class), rs.getObject(4, LocalDate.class), rs.getBoolean(5)));
  }

  List<UnitScore> unitScores(String period) throws SQLException {
    return query("SELECT unit_id, unit_name, peer_group, score, indicator_points, penalty_points, bonus_points,"
        + " score_null_reason, rank_in_group, group_size, grade, previous_score, previous_rank, score_change, rank_change,"
        + " grade_before_rules, grade_rule, place, previous_grade, previous_place, consequences"
        + " FROM kaoping.unit_score_by_period WHERE period = ? ORDER BY peer_group, rank_in_group NULLS LAST, unit_id",
        List.of(period), rs -> new UnitScore(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBigDecimal(4),
            rs.getBigDecimal(5), rs.getBigDecimal(6), rs.getBigDecimal(7), rs.getString(8), integer(rs, 9), integer(rs, 10),
            rs.getString(11), rs.getBigDecimal(12), integer(rs, 13), rs.getBigDecimal(14), integer(rs, 15), rs.getString(16),
            rs.getString(17), rs.getString(18), rs.getString(19), rs.getString(20), rs.getString(21)));
  }

  List<Points> points(String level, long entityId, String period) throws SQLException {
    return query("SELECT indicator, value, weight, effective_weight, points FROM kaoping.score_indicator_points"
        + " WHERE level = ? AND entity_id = ? AND period = ? ORDER BY weight DESC, indicator", List.of(level, entityId, period),
        rs -> new Points(rs.getString(1), dbl(rs, 2), rs.getBigDecimal(3), rs.getBigDecimal(4), rs.getBigDecimal(5)));
  }

  /** Metrics of a unit's own row, sections and people ({@code unitId} null: every unit's row) in a period. */
  List<Metrics> metrics(Long unitId, String period) throws SQLException {
    String where = unitId == null ? "level = 'UNIT'" : "unit_id = ?";
    List<Object> args = new ArrayList<>();
    if (unitId != null) {
      args.add(unitId);
    }
    args.add(period);
    return query("SELECT level, entity_id, section_id, entity_name, workload_ratio, fill_rate, review_rate, period,"
        + " workload_minutes, expected_minutes, return_rate"
        + " FROM kaoping.metrics_by_period WHERE " + where + " AND period = ? ORDER BY level, entity_id", args, ServingData::metric);
  }

  /** The unit's monthly rows from the start of the period's year to the end of the period. */
  List<Metrics> monthlyTrend(long unitId, Period p) throws SQLException {
    return query("SELECT level, entity_id, section_id, entity_name, workload_ratio, fill_rate, review_rate, period,"
        + " workload_minutes, expected_minutes, return_rate"
        + " FROM kaoping.metrics_by_period WHERE level = 'UNIT' AND entity_id = ? AND period_type = 'MONTH'"
        + " AND period_start >= ? AND period_end <= ? ORDER BY period_start",
        List.of(unitId, p.start().withDayOfYear(1), p.end()), ServingData::metric);
  }

  List<Share> categoryShares(long unitId, String period) throws SQLException {
    return query("SELECT category_name, category_share FROM kaoping.category_share_by_period WHERE level = 'UNIT'"
        + " AND entity_id = ? AND period = ? AND category_share > 0 ORDER BY category_share DESC, category",
        List.of(unitId, period), rs -> new Share(rs.getString(1), rs.getDouble(2)));
  }

  /** The responsibilities of the people ranked in the unit in the period (those with none have no row). */
  List<Responsibility> responsibilities(long unitId, String period) throws SQLException {
    return query("SELECT r.staff_id, r.items_due, r.completed_by_deadline FROM kaoping.responsibility_by_period r"
        + " JOIN kaoping.person_score_by_period s ON s.staff_id = r.staff_id AND s.period = r.period"
        + " WHERE s.ranked_in_unit = ? AND r.period = ?", List.of(Long.toString(unitId), period),
        rs -> new Responsibility(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
  }

  List<PersonScore> personScores(long unitId, String period) throws SQLException {
    return query("SELECT staff_id, score, rank_in_unit, unit_size, grade FROM kaoping.person_score_by_period"
        + " WHERE ranked_in_unit = ? AND period = ?", List.of(Long.toString(unitId), period),
        rs -> new PersonScore(rs.getLong(1), rs.getBigDecimal(2), integer(rs, 3), integer(rs, 4), rs.getString(5)));
  }

  Headcount headcount(long unitId, String period) throws SQLException {
    List<Headcount> h = query("SELECT implied_fte, actual_staff, authorized_headcount FROM kaoping.headcount_efficiency_by_period"
        + " WHERE level = 'UNIT' AND entity_id = ? AND period = ?", List.of(unitId, period),
        rs -> new Headcount(rs.getDouble(1), rs.getDouble(2), integer(rs, 3)));
    return h.isEmpty() ? null : h.get(0);
  }

  Service service(long unitId, String period) throws SQLException {
    List<Service> s = query("SELECT service_items, zero_handling_items, cases_accepted, cases_completed,"
        + " cases_completed_on_time, on_time_rate, cases_rejected_or_transferred, overdue_open_cases"
        + " FROM kaoping.service_execution_by_period WHERE unit_id = ? AND period = ?", List.of(unitId, period),
        rs -> new Service(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), dbl(rs, 6), rs.getLong(7),
            rs.getLong(8)));
    return s.isEmpty() ? null : s.get(0);
  }

  Supervision supervision(long unitId, String period) throws SQLException {
    List<Supervision> s = query("SELECT items_due, completed_by_deadline, completion_rate, still_open, penalty_reminders,"
        + " penalty_talks, penalty_notices, penalty_admonitions, penalty_accountabilities FROM kaoping.supervision_by_period"
        + " WHERE unit_id = ? AND period = ?", List.of(unitId, period), rs -> new Supervision(rs.getLong(1), rs.getLong(2),
            dbl(rs, 3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9)));
    return s.isEmpty() ? null : s.get(0);
  }

  List<DutyCoverage> dutyCoverage(long unitId, String period) throws SQLException {
    return query("SELECT level, entity_id, duties_listed, duties_with_work, coverage_rate, duty_minutes"
        + " FROM kaoping.duty_coverage_by_period WHERE unit_id = ? AND period = ? ORDER BY level DESC, entity_id",
        List.of(unitId, period), rs -> new DutyCoverage(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
            rs.getDouble(5), rs.getLong(6)));
  }

  List<MissingDuty> missingDuties(long unitId, String period) throws SQLException {
    return query("SELECT duty_name, section_id FROM kaoping.duty_by_period WHERE unit_id = ? AND period = ? AND is_missing"
        + " ORDER BY section_id NULLS FIRST, duty_id", List.of(unitId, period), rs -> {
          long section = rs.getLong(2);
          Long sectionId = rs.wasNull() ? null : section;
          return new MissingDuty(rs.getString(1), sectionId);
        });
  }

  List<DutyOverlap> dutyOverlaps(long unitId) throws SQLException {
    return query("SELECT duty_name, overlap_kind, other_units FROM kaoping.duty_overlap WHERE unit_id = ?"
        + " ORDER BY duty_id, overlap_kind", List.of(unitId), rs -> new DutyOverlap(rs.getString(1), rs.getString(2),
            rs.getString(3)));
  }

  /** The unit's reminders reached between the period's first and last day, oldest first, the strongest first each day. */
  List<Reminder> reminders(long unitId, Period p) throws SQLException {
    return query("SELECT r.reached_on, r.level, s.staff_name, r.recipient_role, r.reason"
        + " FROM kaoping.reminder r LEFT JOIN kaoping.dim_staff s ON s.staff_id = r.recipient_staff_id"
        + " WHERE r.unit_id = ? AND r.reached_on BETWEEN ? AND ?"
        + " ORDER BY r.reached_on, r.level_rank DESC, r.item_kind, r.item_id", List.of(unitId, p.start(), p.end()),
        rs -> new Reminder(rs.getObject(1, LocalDate.class), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getString(5)));
  }

  /** Target-task warnings of the period's months ({@code unitId} null: every unit). */
  List<TaskMonth> taskMonths(Long unitId, Period p) throws SQLException {
    List<Object> args = new ArrayList<>(List.of(p.start(), p.end()));
    if (unitId != null) {
      args.add(unitId);
    }
    return query("SELECT unit_id, title, kind, points, month, planned_progress, reported_progress, warning_colour, escalation"
        + " FROM kaoping.target_task_warning WHERE month BETWEEN ? AND ?" + (unitId == null ? "" : " AND unit_id = ?")
        + " ORDER BY unit_id, task_id, month", args, rs -> new TaskMonth(rs.getLong(1), rs.getString(2), rs.getString(3),
            rs.getBigDecimal(4), rs.getObject(5, LocalDate.class), rs.getBigDecimal(6), rs.getBigDecimal(7), rs.getString(8),
            rs.getString(9)));
  }

  private static Metrics metric(ResultSet rs) throws SQLException {
    long section = rs.getLong(3);
    Long sectionId = rs.wasNull() ? null : section;
    return new Metrics(rs.getString(1), rs.getLong(2), sectionId, rs.getString(4), dbl(rs, 5),
        dbl(rs, 6), dbl(rs, 7), rs.getString(8), rs.getLong(9), rs.getLong(10), dbl(rs, 11));
  }

  private static Double dbl(ResultSet rs, int i) throws SQLException {
    double v = rs.getDouble(i);
    return rs.wasNull() ? null : v;
  }

  private static Integer integer(ResultSet rs, int i) throws SQLException {
    int v = rs.getInt(i);
    return rs.wasNull() ? null : v;
  }

  private interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private <T> List<T> query(String sql, List<Object> args, Row<T> row) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      List<T> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(row.read(rs));
        }
      }
      return out;
    }
  }
}
