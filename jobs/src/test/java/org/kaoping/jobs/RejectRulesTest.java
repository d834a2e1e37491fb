package org.kaoping.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kaoping.jobs.scoring.ScoringScheme;
import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WorkingCalendar;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The data-quality rules, from raw change events through a whole build, as of 2025-04-30: one bad row per
 * rule, as a user would enter it where the source's constraints allow it. Each test names the rule, its
 * disposition and offending values, and checks that EXCLUDED rows count nowhere while FLAGGED rows count.
 *
 * <pre>
 * Unit 2, section 21 (supervising deputy 204): Carol 201 STAFF from 03-01; Dan 202 STAFF left 03-14;
 * Eve 205 STAFF joined 03-17; Chief 203; Deputy 204; 206 with an unknown role (set aside, and so is their log 5040).
 * Unit 3: chief 301, deputy 302.
 * Carol's March: 5001..5005 420 each (clean, 2100), 5014 60 min in an unknown category (flagged, counts),
 * 5015 30 min in unit 3's own category (flagged, counts) → workload 2190; 5011..5013 1440 each on 03-11
 * (4320 min in one day: all three excluded); 5010 dated 2027; 5016 2000 min; 5030 a draft.
 * Reviews at level 2 (the one that completes a STAFF log): 5001 by the deputy (clean, with level 1);
 * 5002 by its author; 5003 by unit 3's deputy; 5004 by the section chief; 5005 before it was submitted;
 * 5001 a second level-1 decision; the draft 5030 reviewed. Only 5001 is fully reviewed, of 7 logs needing review.
 * Review rounds: Chief 203's 5050 (03-10) was returned by the deputy in round 1, resubmitted 03-12 09:00 and returned
 * again in round 2 (kept: a new round), then decided twice more in round 2 (a duplicate) and once in a round 3 that
 * never began; 5051 (03-13, resubmitted 03-14 09:00) has a round-2 decision from before its resubmission and a valid one
 * after it.
 * Duties: unit 2's 801 (section 21, "安全生产 监督检查") and unit 3's 802 ("安全生产监督检查。") are one name in one peer
 * group; unit 2's 804 and unit 3's 805 share the code JC-01; unit 2's 803 sits in unit 3's section 31 (set aside).
 * Carol's 5001 names 801, 5002 unit 3's 802, 5003 the unknown duty 899.
 * </pre>
 */
class RejectRulesTest extends WithSpark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final RawEvents EVENTS = new RawEvents();
  /** What the second build, with nothing changed since the first, said. */
  private static final List<String> SECOND_BUILD = new ArrayList<>();

  @BeforeAll
  static void build() throws Exception {
    organisation();
    workLogs();
    reviews();
    approvals();
    evaluations();
    WarehouseCatalog warehouse = WarehouseCatalog.open(catalog());
    EVENTS.write(spark, warehouse);
    // a rejects table as the previous version left it: the build must evolve it, not fail on it
    spark.sql("CREATE TABLE ops.rejected_rows (model STRING, record_key STRING, reason STRING, record_json STRING,"
        + " build_id STRING, detected_at TIMESTAMP) USING iceberg");
    WarehouseBuild build = new WarehouseBuild(spark, warehouse, MetricSettings.defaults().asOf(LocalDate.of(2025, 4, 30)),
        WorkingCalendar.builtIn(), ScoringScheme.builtIn());
    build.run(System.out::println, false);
    // nothing changed: the second build keeps every staging model and copies its rule breaks, which the tests below read
    build.run(SECOND_BUILD::add, false);
  }

  private static void organisation() {
    put("worklog.unit", "id", 2, "name", "样例局", "level", "CITY", "type", "GOVERNMENT", "authorized_headcount", 5,
        "peer_group", "CITY_GOVERNMENT", "updated_at", "2025-01-01T09:00");
    put("worklog.unit", "id", 3, "name", "他局", "level", "CITY", "type", "GOVERNMENT", "authorized_headcount", 5,
        "peer_group", "CITY_GOVERNMENT", "updated_at", "2025-01-01T09:00");
    put("worklog.section", "id", 21, "unit_id", 2, "name", "一科", "authorized_headcount", 3, "supervising_leader_id", 204,
        "updated_at", "2025-01-01T09:00");
    put("worklog.section", "id", 31, "unit_id", 3, "name", "他科", "authorized_headcount", 3, "supervising_leader_id", 302,
        "updated_at", "2025-01-01T09:00");
    staff(201, 2, 21L, "STAFF", "2025-03-01", null);
    staff(202, 2, 21L, "STAFF", "2025-01-01", "2025-03-14");
    staff(205, 2, 21L, "STAFF", "2025-03-17", null);
    staff(203, 2, 21L, "SECTION_CHIEF", "2025-01-01", null);
    staff(204, 2, null, "DEPUTY_LEADER", "2025-01-01", null);
    staff(301, 3, 31L, "SECTION_CHIEF", "2025-01-01", null);
    staff(302, 3, null, "DEPUTY_LEADER", "2025-01-01", null);
    staff(206, 2, 21L, "INTERN", "2025-01-01", null);
    for (String c : new String[] {"BUSINESS", "WRITING", "LEAVE"}) {
      put("worklog.work_category", "code", c, "name", c, "unit_id", null, "updated_at", "2025-01-01T09:00");
    }
    put("worklog.work_category", "code", "UNIT3_OWN", "name", "他局个性", "unit_id", 3, "updated_at", "2025-01-01T09:00");
    duty(801, 2, 21L, "安全生产 监督检查", null);
    duty(802, 3, null, "安全生产监督检查。", null);
    duty(803, 2, 31L, "他科的职能", null);
    duty(804, 2, null, "联合执法", "JC-01");
    duty(805, 3, null, "执法配合", "JC-01");
  }

  private static void duty(long id, long unit, Long section, String name, String sharedCode) {
    put("worklog.duty", "id", id, "unit_id", unit, "section_id", section, "name", name, "origin", "MANDATE",
        "shared_code", sharedCode, "active", true, "updated_at", "2025-01-01T09:00");
  }

  private static void staff(long id, long unit, Long section, String role, String from, String to) {
    put("worklog.staff", "id", id, "unit_id", unit, "section_id", section, "display_name", "P" + id, "national_id", "X" + id,
        "role", role, "active_from", from, "active_to", to, "updated_at", "2025-01-01T09:00");
  }

  private static void workLogs() {
    long[] duties = {801, 802, 899, 0, 0};
    for (int d = 3; d <= 7; d++) {
      log(5000 + d - 2, 201, "2025-03-0" + d, "BUSINESS", 420, "SUBMITTED", duties[d - 3] == 0 ? null : duties[d - 3]);
    }
    put("worklog.work_log", "id", 5010, "staff_id", 201, "work_date", "2027-03-10", "category", "BUSINESS", "minutes", 420,
        "status", "SUBMITTED", "submitted_at", "2025-03-10T18:00", "created_at", "2025-03-10T17:00",
        "updated_at", "2025-03-10T18:00");
    for (long id = 5011; id <= 5013; id++) {
      log(id, 201, "2025-03-11", "BUSINESS", 1440, "SUBMITTED");
    }
    log(5014, 201, "2025-03-12", "NO_SUCH_CATEGORY", 60, "SUBMITTED");
    log(5015, 201, "2025-03-13", "UNIT3_OWN", 30, "SUBMITTED");
    log(5016, 201, "2025-03-14", "BUSINESS", 300, "SUBMITTED");
    log(5016, 201, "2025-03-14", "BUSINESS", 2000, "SUBMITTED"); // an edit: the position is the latest event's
    log(5020, 202, "2025-03-17", "BUSINESS", 420, "SUBMITTED");
    log(5021, 205, "2025-03-14", "BUSINESS", 420, "SUBMITTED");
    log(5030, 201, "2025-03-18", "BUSINESS", 420, "DRAFT");
    log(5040, 206, "2025-03-18", "BUSINESS", 420, "SUBMITTED");
    resubmitted(5050, 203, "2025-03-10", "2025-03-12T09:00");
    resubmitted(5051, 203, "2025-03-13", "2025-03-14T09:00");
  }

  /** A log returned again in its second review round: it needs review but never counts as work. */
  private static void resubmitted(long id, long staff, String day, String resubmittedAt) {
    put("worklog.work_log", "id", id, "staff_id", staff, "work_date", day, "category", "BUSINESS", "minutes", 420,
        "status", "RETURNED", "submitted_at", day + "T18:00", "review_round", 2, "resubmitted_at", resubmittedAt,
        "created_at", day + "T17:00", "updated_at", resubmittedAt);
  }

  private static void log(long id, long staff, String day, String category, int minutes, String status) {
    log(id, staff, day, category, minutes, status, null);
  }

  private static void log(long id, long staff, String day, String category, int minutes, String status, Long duty) {
    put("worklog.work_log", "id", id, "staff_id", staff, "work_date", day, "category", category, "minutes", minutes,
        "duty_id", duty, "status", status, "submitted_at", status.equals("DRAFT") ? null : day + "T18:00", "created_at", day + "T17:00",
        "updated_at", day + "T18:00");
  }

  private static void reviews() {
    review(6001, 5001, 203, 1, "2025-03-04T09:00");
    review(6002, 5001, 204, 2, "2025-03-04T10:00");
    review(6003, 5002, 201, 2, "2025-03-05T10:00");
    review(6004, 5003, 302, 2, "2025-03-06T10:00");
    review(6005, 5004, 203, 2, "2025-03-07T10:00");
    review(6006, 5005, 204, 2, "2025-03-07T10:00");
    review(6007, 5030, 203, 1, "2025-03-19T10:00");
    review(6008, 5001, 203, 1, "2025-03-05T09:00");
    roundReview(6010, 5050, 1, "RETURNED", "2025-03-11T09:00");
    roundReview(6011, 5050, 2, "RETURNED", "2025-03-12T10:00");
    roundReview(6012, 5050, 2, "APPROVED", "2025-03-12T11:00");
    roundReview(6013, 5050, 3, "APPROVED", "2025-03-13T10:00");
    roundReview(6014, 5051, 2, "APPROVED", "2025-03-14T08:00");
    roundReview(6015, 5051, 2, "APPROVED", "2025-03-14T10:00");
  }

  private static void review(long id, long log, long reviewer, int level, String at) {
    put("worklog.log_review", "id", id, "log_id", log, "reviewer_id", reviewer, "level", level, "decision", "APPROVED",
        "reviewed_at", at, "updated_at", at);
  }

  /** The deputy 204's level-1 decision on a section chief's log, in the given round. */
  private static void roundReview(long id, long log, int round, String decision, String at) {
    put("worklog.log_review", "id", id, "log_id", log, "reviewer_id", 204, "level", 1, "review_round", round,
        "decision", decision, "reviewed_at", at, "updated_at", at);
  }

  private static void approvals() {
    put("approval.service_item", "id", 91, "unit_id", 2, "name", "许可", "legal_limit_days", 10, "promised_limit_days", 5,
        "updated_at", "2025-01-01T09:00");
    put("approval.service_case", "id", 92, "item_id", 91, "accepted_at", "2025-03-10T09:00", "completed_at", "2025-03-09T16:00",
        "status", "COMPLETED", "handler_id", 201, "updated_at", "2025-03-10T09:00");
    supervision(81, "2025-03-10T10:00", "2025-03-05T16:00");
    supervision(82, "2025-03-10T10:00", "2025-03-18T16:00");
    for (long task : new long[] {71, 72}) {
      put("approval.target_task", "id", task, "unit_id", 2, "title", "T" + task, "kind", "COMMON", "points", "10",
          "responsible_leader_id", 204, "planned_start", "2025-01-01", "planned_end", "2025-12-31",
          "updated_at", "2025-01-01T09:00");
    }
    // responsible people: 83 names unit 3's chief, 84 someone unknown, 85 no one; task 73 leads with unit 3's deputy
    responsibleFor(83, 301L, "2025-04-09T16:00", "NONE");
    responsibleFor(84, 999L, null, "NOTICE");
    responsibleFor(85, null, "2025-04-10T16:00", "NONE");
    put("approval.target_task", "id", 73, "unit_id", 2, "title", "T73", "kind", "INDIVIDUAL", "points", "10",
        "responsible_leader_id", 302, "planned_start", "2025-01-01", "planned_end", "2025-12-31",
        "updated_at", "2025-01-01T09:00");
    progress(71, "2025-01-01", "50", "83");
    progress(71, "2025-02-01", "60", "10");
    progress(72, "2025-03-01", "80", "120");
  }

  /**
   * Golmud's inputs to the total: special assessments 1301 (clean), 1302 (105 of 100), 1303 (unit 9, unknown); mutual
   * evaluation for 2025: 1401 unit 3 scores unit 2 (clean), 1402 again later (a duplicate), 1403 unit 2 scores itself,
   * 1404 unit 2 scores unit 3 120, 1405 unit 2 scores the unknown unit 9, 1406 unit 2 scores unit 3 again (the first
   * valid one: 1404 does not displace it); ratings: 1501 case 92 a 5 (clean), 1502 case 92 again, 1503 a 6, 1504 of unit
   * 9, 1505 a 4 without a case (clean).
   */
  private static void evaluations() {
    special(1301, 2, "88.00");
    special(1302, 2, "105.00");
    special(1303, 9, "90.00");
    mutual(1401, 3, 2, "90.00", "2025-04-01T10:00");
    mutual(1402, 3, 2, "60.00", "2025-04-05T10:00");
    mutual(1403, 2, 2, "99.00", "2025-04-01T10:00");
    mutual(1404, 2, 3, "120.00", "2025-04-01T10:00");
    mutual(1405, 2, 9, "80.00", "2025-04-01T10:00");
    mutual(1406, 2, 3, "85.00", "2025-04-06T10:00");
    rating(1501, 2, 92L, 5, "2025-04-01T10:00");
    rating(1502, 2, 92L, 1, "2025-04-02T10:00");
    rating(1503, 2, null, 6, "2025-04-03T10:00");
    rating(1504, 9, null, 4, "2025-04-03T10:00");
    rating(1505, 2, null, 4, "2025-04-04T10:00");
  }

  private static void special(long id, long unit, String score) {
    put("approval.special_assessment", "id", id, "unit_id", unit, "assessment", "安全生产", "assessed_on", "2025-04-10",
        "score", score, "updated_at", "2025-04-10T16:00");
  }

  private static void mutual(long id, long rater, long rated, String score, String at) {
    put("approval.mutual_evaluation", "id", id, "rater_unit_id", rater, "rated_unit_id", rated, "assessment_year", 2025,
        "score", score, "submitted_at", at, "updated_at", at);
  }

  private static void rating(long id, long unit, Long caseId, int rating, String at) {
    put("approval.satisfaction_rating", "id", id, "unit_id", unit, "case_id", caseId, "channel", "QR", "rating", rating,
        "rated_at", at, "updated_at", at);
  }

  private static void supervision(long id, String assigned, String completed) {
    put("approval.supervision_item", "id", id, "unit_id", 2, "responsible_staff_id", 201, "title", "督办" + id,
        "assigned_at", assigned, "deadline", "2025-03-20", "completed_at", completed, "status", "COMPLETED", "penalty", "NONE",
        "updated_at", completed);
  }

  /** A supervised item of unit 2 assigned 04-01, due 04-10, with the given responsible person. */
  private static void responsibleFor(long id, Long responsible, String completed, String penalty) {
    put("approval.supervision_item", "id", id, "unit_id", 2, "responsible_staff_id", responsible, "title", "督办" + id,
        "assigned_at", "2025-04-01T10:00", "deadline", "2025-04-10", "completed_at", completed,
        "status", completed == null ? "OPEN" : "COMPLETED", "penalty", penalty, "updated_at", "2025-04-11T09:00");
  }

  private static void progress(long task, String month, String planned, String reported) {
    put("approval.target_task_plan", "task_id", task, "month", month, "planned_progress", planned,
        "updated_at", "2025-01-01T09:00");
    put("approval.task_progress", "task_id", task, "month", month, "reported_progress", reported, "evidence_count", 1,
        "reported_at", month + "T09:00", "verified", false, "updated_at", month + "T09:00");
  }

  /** Appends a change event for {@code source.table} whose row image is the given column/value pairs. */
  private static void put(String table, Object... columnsAndValues) {
    EVENTS.put(table, columnsAndValues);
  }

  private static Row one(String sql) {
    List<Row> rows = spark.sql(sql).collectAsList();
    assertEquals(1, rows.size(), "exactly one row for: " + sql);
    return rows.get(0);
  }

  /** rule → disposition of the rules a record broke, from ops.rejected_rows. */
  private static Map<String, String> rulesOf(String model, String recordKey) {
    Map<String, String> rules = new TreeMap<>();
    for (Row r : spark.sql("SELECT rule, disposition FROM ops.rejected_rows WHERE model = '" + model
        + "' AND record_key = '" + recordKey + "'").collectAsList()) {
      rules.put(r.getString(0), r.getString(1));
    }
    return rules;
  }

  private static long count(String sql) {
    return spark.sql(sql).count();
  }

  @Test
  void everyBadLogIsNamedWithItsRuleAndDisposition() {
    assertEquals(Map.of("work_log.future_date", "EXCLUDED"), rulesOf("staging.work_log", "{\"log_id\":5010}"));
    for (long id = 5011; id <= 5013; id++) {
      assertEquals(Map.of("work_log.day_over_24h", "EXCLUDED"), rulesOf("staging.work_log", "{\"log_id\":" + id + "}"));
    }
    assertEquals(Map.of("work_log.unknown_category", "FLAGGED"), rulesOf("staging.work_log", "{\"log_id\":5014}"));
    assertEquals(Map.of("work_log.other_units_category", "FLAGGED"), rulesOf("staging.work_log", "{\"log_id\":5015}"));
    assertEquals(Map.of("work_log.minutes_out_of_range", "EXCLUDED"), rulesOf("staging.work_log", "{\"log_id\":5016}"));
    assertEquals(Map.of("work_log.after_leaving", "EXCLUDED"), rulesOf("staging.work_log", "{\"log_id\":5020}"));
    assertEquals(Map.of("work_log.before_joining", "EXCLUDED"), rulesOf("staging.work_log", "{\"log_id\":5021}"));
    assertEquals(Map.of("staff.unknown_role", "EXCLUDED"), rulesOf("staging.staff", "{\"staff_id\":206}"));
    assertEquals(Map.of("work_log.author_set_aside", "EXCLUDED"), rulesOf("staging.work_log", "{\"log_id\":5040}"),
        "the marts drop a log whose author is not in staging.staff: it must be named");
    assertEquals(0, count("SELECT * FROM ops.rejected_rows WHERE model = 'staging.work_log' AND record_key IN"
        + " ('{\"log_id\":5001}', '{\"log_id\":5030}')"), "clean logs and drafts break nothing");
  }

  @Test
  void theOffendingValuesAndTheSourcePositionAreRecorded() {
    Row future = one("SELECT * FROM ops.rejected_rows WHERE rule = 'work_log.future_date'");
    assertEquals("{\"work_date\":\"2027-03-10\",\"created_at\":\"2025-03-10T17:00:00.000\",\"as_of_date\":\"2025-04-30\"}",
        future.<String>getAs("offending_values"));
    assertEquals("dated 2027-03-10, after the day it was written (2025-03-10)", future.<String>getAs("reason"));
    assertEquals(2L, future.<Long>getAs("unit_id"));
    assertEquals(LocalDate.of(2027, 3, 1), future.<java.sql.Date>getAs("month").toLocalDate());
    Row minutes = one("SELECT * FROM ops.rejected_rows WHERE rule = 'work_log.minutes_out_of_range'");
    assertEquals("{\"minutes\":2000}", minutes.<String>getAs("offending_values"));
    long latest = EVENTS.latestSeq("work_log 5016");
    assertEquals(latest, minutes.<Long>getAs("source_event_seq"), "the latest raw event of the log, not its first");
    assertEquals(100_000 + latest, minutes.<Long>getAs("source_lsn"));
    assertTrue(minutes.<String>getAs("record_json").contains("\"minutes\":2000"), minutes.<String>getAs("record_json"));
    Row day = one("SELECT * FROM ops.rejected_rows WHERE rule = 'work_log.day_over_24h' AND record_key = '{\"log_id\":5011}'");
    assertEquals("{\"staff_id\":201,\"work_date\":\"2025-03-11\",\"minutes\":1440,\"day_minutes\":4320}",
        day.<String>getAs("offending_values"));
  }

  @Test
  void everyBadReviewIsNamed() {
    assertEquals(Map.of("log_review.by_author", "EXCLUDED", "log_review.out_of_chain", "EXCLUDED"),
        rulesOf("staging.log_review", "{\"review_id\":6003}"), "the author is a STAFF member: also not the chain's reviewer");
    assertEquals(Map.of("log_review.other_unit", "EXCLUDED"), rulesOf("staging.log_review", "{\"review_id\":6004}"));
    assertEquals(Map.of("log_review.out_of_chain", "EXCLUDED"), rulesOf("staging.log_review", "{\"review_id\":6005}"));
    assertEquals(Map.of("log_review.before_submission", "EXCLUDED"), rulesOf("staging.log_review", "{\"review_id\":6006}"));
    assertEquals(Map.of("log_review.of_draft", "EXCLUDED"), rulesOf("staging.log_review", "{\"review_id\":6007}"));
    assertEquals(Map.of("log_review.duplicate_level", "EXCLUDED"), rulesOf("staging.log_review", "{\"review_id\":6008}"));
    assertEquals(List.of(6001L, 6002L, 6010L, 6011L, 6015L), spark.sql("SELECT review_id FROM staging.log_review ORDER BY review_id")
        .collectAsList().stream().map(r -> r.getLong(0)).toList(), "a second round's decisions are kept");
    Row outOfChain = one("SELECT * FROM ops.rejected_rows WHERE record_key = '{\"review_id\":6005}'");
    assertEquals("{\"reviewer_id\":203,\"reviewer_role\":\"SECTION_CHIEF\",\"level\":2,\"author_role\":\"STAFF\"}",
        outOfChain.<String>getAs("offending_values"));
  }

  /** A second decision at a level is a duplicate only within one round; a round the log never began is named too. */
  @Test
  void reviewRoundsSeparateResubmissionsFromDuplicates() {
    assertEquals(Map.of("log_review.duplicate_level", "EXCLUDED"), rulesOf("staging.log_review", "{\"review_id\":6012}"));
    assertEquals(Map.of("log_review.unknown_round", "EXCLUDED"), rulesOf("staging.log_review", "{\"review_id\":6013}"));
    assertEquals(Map.of("log_review.before_submission", "EXCLUDED"), rulesOf("staging.log_review", "{\"review_id\":6014}"),
        "decided before the resubmission that began its round");
    assertEquals(Map.of(), rulesOf("staging.log_review", "{\"review_id\":6015}"),
        "the round's first valid decision stands: one set aside for another reason is no earlier decision");
    assertEquals(List.of("6010 1 2", "6011 2 2"), spark.sql("SELECT concat_ws(' ', review_id, review_round, log_review_round)"
        + " FROM staging.log_review WHERE log_id = 5050 ORDER BY review_id").as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList());
    Row log = one("SELECT review_round, CAST(resubmitted_at AS STRING) FROM staging.work_log WHERE log_id = 5050");
    assertEquals(2, log.getInt(0));
    assertEquals("2025-03-12 09:00:00", log.getString(1));
    assertEquals(1, one("SELECT review_round FROM staging.work_log WHERE log_id = 5001").getInt(0),
        "a source that records no round: round 1");
  }

  /**
   * A log naming another unit's duty or one not in the register is flagged and still counts (Carol's March workload
   * stays 2190), crediting no duty: 801 has 5001's 420 minutes, unit 3's 802 none. The duty in another unit's section
   * is set aside. 801 and 802 are one name once spaces and punctuation are dropped, in one peer group; 804 and 805 one code.
   */
  @Test
  void dutyRulesAndOverlaps() {
    assertEquals(Map.of("work_log.other_units_duty", "FLAGGED"), rulesOf("staging.work_log", "{\"log_id\":5002}"));
    assertEquals(Map.of("work_log.unknown_duty", "FLAGGED"), rulesOf("staging.work_log", "{\"log_id\":5003}"));
    assertEquals(Map.of("duty.section_of_other_unit", "EXCLUDED"), rulesOf("staging.duty", "{\"duty_id\":803}"));
    assertEquals(List.of(801L, 802L, 804L, 805L), spark.sql("SELECT duty_id FROM staging.duty ORDER BY duty_id")
        .as(org.apache.spark.sql.Encoders.LONG()).collectAsList());
    assertEquals(List.of("801 420 false", "802 0 true"), spark.sql("SELECT concat_ws(' ', duty_id, duty_minutes, is_missing)"
        + " FROM mart.duty_by_period WHERE period = '2025-03' AND duty_id IN (801, 802) ORDER BY duty_id")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    assertEquals(List.of("801 NAME 2 他局", "802 NAME 2 样例局", "804 SHARED_CODE 2 他局", "805 SHARED_CODE 2 样例局"),
        spark.sql("SELECT concat_ws(' ', duty_id, overlap_kind, claiming_units, other_units) FROM mart.duty_overlap"
            + " ORDER BY duty_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    assertEquals("CITY_GOVERNMENT 安全生产监督检查", one("SELECT overlap_key FROM mart.duty_overlap WHERE duty_id = 801").getString(0));
  }

  @Test
  void approvalAndTargetRules() {
    assertEquals(Map.of("service_case.completed_before_accepted", "EXCLUDED"), rulesOf("staging.service_case", "{\"case_id\":92}"));
    assertEquals(Map.of("supervision_item.completed_before_assigned", "EXCLUDED"),
        rulesOf("staging.supervision_item", "{\"supervision_id\":81}"));
    assertEquals(Map.of("task_progress.progress_backwards", "FLAGGED"),
        rulesOf("staging.target_task_month", "{\"task_id\":71,\"month\":\"2025-02-01\"}"));
    assertEquals(Map.of("task_progress.out_of_range", "FLAGGED"),
        rulesOf("staging.target_task_month", "{\"task_id\":72,\"month\":\"2025-03-01\"}"));
    assertEquals(1L, one("SELECT items_due FROM mart.supervision_by_period WHERE unit_id = 2 AND period = '2025-03'").getLong(0),
        "the item completed before it was assigned is not due anywhere");
    assertEquals("RED/RED_CARD", one("SELECT concat(warning_colour, '/', escalation) FROM mart.target_task_warning"
        + " WHERE task_id = 71 AND month = DATE '2025-02-01'").getString(0), "a flagged report still counts");
  }

  /** Each bad special assessment, mutual evaluation and rating is set aside under its rule; only the clean rows count. */
  @Test
  void evaluationRules() {
    String[][] setAside = {
        {"staging.special_assessment", "assessment_id", "1302", "special_assessment.score_out_of_range"},
        {"staging.special_assessment", "assessment_id", "1303", "special_assessment.unknown_unit"},
        {"staging.mutual_evaluation", "evaluation_id", "1402", "mutual_evaluation.duplicate"},
        {"staging.mutual_evaluation", "evaluation_id", "1403", "mutual_evaluation.self_rating"},
        {"staging.mutual_evaluation", "evaluation_id", "1404", "mutual_evaluation.score_out_of_range"},
        {"staging.mutual_evaluation", "evaluation_id", "1405", "mutual_evaluation.unknown_unit"},
        {"staging.satisfaction_rating", "rating_id", "1502", "satisfaction_rating.duplicate_case"},
        {"staging.satisfaction_rating", "rating_id", "1503", "satisfaction_rating.rating_out_of_range"},
        {"staging.satisfaction_rating", "rating_id", "1504", "satisfaction_rating.unknown_unit"}};
    for (String[] e : setAside) {
      assertEquals(Map.of(e[3], "EXCLUDED"), rulesOf(e[0], "{\"" + e[1] + "\":" + e[2] + "}"), e[0] + " " + e[2]);
    }
    assertEquals(List.of(1301L), spark.sql("SELECT assessment_id FROM staging.special_assessment")
        .as(org.apache.spark.sql.Encoders.LONG()).collectAsList());
    assertEquals(List.of(1401L, 1406L), spark.sql("SELECT evaluation_id FROM staging.mutual_evaluation ORDER BY evaluation_id")
        .as(org.apache.spark.sql.Encoders.LONG()).collectAsList(), "the first valid score of each rater, unit and year");
    assertEquals(List.of(1501L, 1505L), spark.sql("SELECT rating_id FROM staging.satisfaction_rating ORDER BY rating_id")
        .as(org.apache.spark.sql.Encoders.LONG()).collectAsList());
    Row april = one("SELECT * FROM mart.unit_score_inputs WHERE unit_id = 2 AND period = '2025-04'");
    assertEquals(List.of(new java.math.BigDecimal("88.00"), 100L, 2L, 2L), List.of(april.getAs("special_assessment_score_numerator"),
        april.getAs("special_assessment_score_denominator"), april.getAs("satisfaction_rate_numerator"),
        april.getAs("satisfaction_rate_denominator")), "only the clean rows count");
    assertEquals(List.of("2 1 90.00", "3 1 85.00"), spark.sql("SELECT concat_ws(' ', unit_id, raters, score_total)"
        + " FROM mart.mutual_evaluation_by_year ORDER BY unit_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
  }

  /**
   * A responsible person not in the item's unit (301 of unit 3) or not in the register (999) is flagged: the items still
   * count for unit 2 in April (83 on time, 84 open with a notice, 85 naming no one: 2/3), but for no person; Carol
   * answers for 82 (done 03-18, before its 03-20 deadline). Task 73's leader 302 is unit 3's: flagged too.
   */
  @Test
  void aResponsiblePersonOfAnotherUnitIsFlaggedAndAnswersForNothing() {
    assertEquals(Map.of("supervision_item.responsible_not_in_unit", "FLAGGED"),
        rulesOf("staging.supervision_item", "{\"supervision_id\":83}"));
    assertEquals(Map.of("supervision_item.responsible_not_in_unit", "FLAGGED"),
        rulesOf("staging.supervision_item", "{\"supervision_id\":84}"));
    assertEquals(Map.of(), rulesOf("staging.supervision_item", "{\"supervision_id\":85}"), "naming no one is no error");
    assertEquals(Map.of("target_task.responsible_not_in_unit", "FLAGGED"), rulesOf("staging.target_task", "{\"task_id\":73}"));
    assertEquals(Map.of(), rulesOf("staging.target_task", "{\"task_id\":71}"));
    Row april = one("SELECT * FROM mart.supervision_by_period WHERE unit_id = 2 AND period = '2025-04'");
    assertEquals(List.of(3L, 2L, 1L), List.of(april.getAs("items_due"), april.getAs("completed_by_deadline"),
        april.getAs("penalty_notices")), "flagged items count for their unit");
    assertEquals(0, count("SELECT * FROM mart.responsibility_by_period WHERE staff_id IN (301, 302, 999) OR period = '2025-04'"));
    Row carol = one("SELECT * FROM mart.responsibility_by_period WHERE staff_id = 201 AND period = '2025-03'");
    assertEquals(List.of(1L, 1L, 1L), List.of(carol.getAs("items_due"), carol.getAs("completed_by_deadline"),
        carol.getAs("completed_early")));
  }

  /**
   * Carol, March: workload 5 × 420 + 60 + 30 = 2190 over 21 working days × 420 = 8820; the excluded 4320 minutes of
   * 03-11 and the 2000 of 03-14 count nowhere. Needing review 7 (5001..5005, 5014, 5015), fully reviewed 1 (5001).
   * Dan and Eve: their only logs fall outside their employment, so no workload.
   */
  @Test
  void excludedRowsCountNowhereFlaggedRowsCount() {
    Row carol = one("SELECT * FROM mart.metrics_by_period WHERE level = 'PERSON' AND entity_id = 201 AND period = '2025-03'");
    assertEquals(2190L, carol.<Long>getAs("workload_minutes"));
    assertEquals(8820L, carol.<Long>getAs("expected_minutes"));
    assertEquals(7L, carol.<Long>getAs("logs_needing_review"));
    assertEquals(1L, carol.<Long>getAs("logs_fully_reviewed"));
    for (long person : new long[] {202, 205}) {
      assertEquals(0L, one("SELECT workload_minutes FROM mart.metrics_by_period WHERE level = 'PERSON' AND entity_id = "
          + person + " AND period = '2025-03'").getLong(0), "person " + person);
    }
    assertEquals(2190L, one("SELECT workload_minutes FROM mart.metrics_by_period WHERE level = 'UNIT' AND entity_id = 2"
        + " AND period = '2025-03'").getLong(0));
    assertEquals(0, count("SELECT * FROM mart.fact_work_log WHERE log_id IN (5010, 5011, 5012, 5013, 5016, 5020, 5021)"));
  }

  @Test
  void dataQualityMartCountsByRuleUnitAndMonth() {
    String[][] expected = {
        {"work_log.day_over_24h", "2", "2025-03", "3", "EXCLUDED"},
        {"work_log.future_date", "2", "2027-03", "1", "EXCLUDED"},
        {"work_log.unknown_category", "2", "2025-03", "1", "FLAGGED"},
        {"work_log.other_units_duty", "2", "2025-03", "1", "FLAGGED"},
        {"duty.section_of_other_unit", "2", "2025-01", "1", "EXCLUDED"},
        {"log_review.out_of_chain", "2", "2025-03", "2", "EXCLUDED"},
        {"task_progress.progress_backwards", "2", "2025-02", "1", "FLAGGED"},
        {"supervision_item.completed_before_assigned", "2", "2025-03", "1", "EXCLUDED"},
        {"service_case.completed_before_accepted", "2", "2025-03", "1", "EXCLUDED"},
        {"supervision_item.responsible_not_in_unit", "2", "2025-04", "2", "FLAGGED"},
        {"target_task.responsible_not_in_unit", "2", "2025-01", "1", "FLAGGED"},
        {"mutual_evaluation.duplicate", "3", "2025-04", "1", "EXCLUDED"},
        {"mutual_evaluation.self_rating", "2", "2025-04", "1", "EXCLUDED"},
        {"special_assessment.unknown_unit", "9", "2025-04", "1", "EXCLUDED"},
        {"satisfaction_rating.rating_out_of_range", "2", "2025-04", "1", "EXCLUDED"}};
    for (String[] e : expected) {
      Row r = one("SELECT rejected_rows, disposition FROM mart.data_quality_by_month WHERE rule = '" + e[0]
          + "' AND unit_id = " + e[1] + " AND month = '" + e[2] + "'");
      assertEquals(Long.parseLong(e[3]), r.getLong(0), e[0]);
      assertEquals(e[4], r.getString(1), e[0]);
    }
    assertEquals(spark.table("ops.rejected_rows").count(),
        one("SELECT sum(rejected_rows) FROM mart.data_quality_by_month").getLong(0), "every reject is counted once");
  }

  @Test
  void aBuildWithNothingChangedKeepsEveryStagingModelItsRuleBreaksAndTheMartsReadingThem() throws Exception {
    List<Row> builds = spark.sql("SELECT output_snapshots, refresh_scope FROM ops.build_run ORDER BY finished_at").collectAsList();
    assertEquals(2, builds.size());
    assertEquals("nothing changed since the last build", builds.get(1).getString(1), String.join("\n", SECOND_BUILD));
    com.fasterxml.jackson.databind.JsonNode first = JSON.readTree(builds.get(0).getString(0));
    com.fasterxml.jackson.databind.JsonNode second = JSON.readTree(builds.get(1).getString(0));
    for (SqlModel staging : ModelCatalog.standard().staging()) {
      String model = staging.table().substring("staging.".length());
      assertEquals(first.get("staging." + model), second.get("staging." + model), "staging." + model + " was rewritten:\n" + String.join("\n", SECOND_BUILD));
      assertTrue(SECOND_BUILD.stream().anyMatch(l -> l.startsWith("staging." + model + ": ") && l.endsWith("kept (its inputs did not change)")),
          String.join("\n", SECOND_BUILD));
    }
    // a mart rebuilt whole on every build unless kept (an empty refresh scope alone would not spare it)
    assertEquals(first.get("mart.service_execution_by_period"), second.get("mart.service_execution_by_period"),
        "mart.service_execution_by_period was rewritten:\n" + String.join("\n", SECOND_BUILD));
    assertTrue(count("SELECT * FROM ops.rejected_rows WHERE model = 'staging.work_log'") > 0, "the copied rule breaks are there");
  }
}
