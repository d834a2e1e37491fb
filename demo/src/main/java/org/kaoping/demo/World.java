package org.kaoping.demo;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's operational world over one year: every entity with the moments it changes, so the
 * source databases can be loaded as they stood at any instant ({@link #rowsAsOf}).
 */
public record World(
    List<Unit> units,
    List<Section> sections,
    List<Staff> staff,
    List<Transfer> transfers,
    List<Category> categories,
    List<Duty> duties,
    List<WorkLog> logs,
    List<Review> reviews,
    List<ServiceItem> serviceItems,
    List<ServiceCase> serviceCases,
    List<SupervisionItem> supervisionItems,
    List<TargetTask> targetTasks,
    List<TaskMonth> taskMonths,
    List<SpecialAssessment> specialAssessments,
    List<MutualEvaluation> mutualEvaluations,
    List<SatisfactionRating> satisfactionRatings) {

  /** The moment the organisation (units, sections, categories, starting staff) exists in the source. */
  public static final LocalDateTime ORG_CREATED = LocalDateTime.of(2024, 12, 20, 9, 0);

  /** The parts' entities, part after part (an empty world for no parts). */
  public static World concat(List<World> parts) {
    List<List<Object>> lists = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      lists.add(new ArrayList<>());
    }
    for (World w : parts) {
      List<List<?>> of = List.of(w.units, w.sections, w.staff, w.transfers, w.categories, w.duties, w.logs, w.reviews,
          w.serviceItems, w.serviceCases, w.supervisionItems, w.targetTasks, w.taskMonths, w.specialAssessments,
          w.mutualEvaluations, w.satisfactionRatings);
      for (int i = 0; i < 16; i++) {
        lists.get(i).addAll(of.get(i));
      }
    }
    return new World(cast(lists.get(0)), cast(lists.get(1)), cast(lists.get(2)), cast(lists.get(3)),
        cast(lists.get(4)), cast(lists.get(5)), cast(lists.get(6)), cast(lists.get(7)), cast(lists.get(8)),
        cast(lists.get(9)), cast(lists.get(10)), cast(lists.get(11)), cast(lists.get(12)), cast(lists.get(13)),
        cast(lists.get(14)), cast(lists.get(15)));
  }

  @SuppressWarnings("unchecked")
  private static <T> List<T> cast(List<Object> list) {
    return (List<T>) (List<?>) list;
  }

  /** This world with {@code categories} instead of its own. */
  public World withCategories(List<Category> categories) {
    return new World(units, sections, staff, transfers, categories, duties, logs, reviews, serviceItems, serviceCases,
        supervisionItems, targetTasks, taskMonths, specialAssessments, mutualEvaluations, satisfactionRatings);
  }

  public record Unit(long id, String name, String level, String type, Long parentUnitId,
      int authorizedHeadcount, String peerGroup) {}

  public record Section(long id, long unitId, String name, int authorizedHeadcount, long supervisingLeaderId) {}

  /** A person; {@code sectionId} is the starting section (transfers change it later). */
  public record Staff(long id, long unitId, Long sectionId, String displayName, String nationalId,
      String role, String postDuties, LocalDate activeFrom, LocalDate activeTo) {

    /** The moment the record is created in the staffing register. */
    LocalDateTime createdAt() {
      LocalDateTime joined = activeFrom.atTime(8, 30).minusDays(3);
      return joined.isBefore(ORG_CREATED) ? ORG_CREATED : joined;
    }
  }

  /** A move of a person to another section of the same unit, effective on {@code effective}. */
  public record Transfer(long staffId, long toSectionId, LocalDate effective) {
    LocalDateTime recordedAt() {
      return effective.atTime(8, 0);
    }
  }

  public record Category(String code, String name, Long unitId) {}

  /**
   * A duty of the register (职能任务): the unit's as a whole when {@code sectionId} is null; {@code origin} MANDATE for
   * a function of the unit's 三定, ASSIGNED for one given it since; {@code sharedCode} names a duty several units share.
   */
  public record Duty(long id, long unitId, Long sectionId, String name, String origin, String sharedCode, boolean active) {}

  /**
   * A log with its life: created (draft), maybe submitted, then returned or approved by reviews; a returned log
   * may be corrected and submitted again ({@code resubmittedAt}), which starts review round 2, and that round
   * may return it again ({@code returnedAgainAt}) or approve it. A null time means it never happens; a null
   * {@code dutyId} a log that names no duty.
   */
  public record WorkLog(long id, long staffId, LocalDate workDate, String category, int minutes,
      Long dutyId, String content, int attachmentCount, LocalDateTime createdAt,
      LocalDateTime submittedAt, LocalDateTime returnedAt, LocalDateTime resubmittedAt, LocalDateTime returnedAgainAt,
      LocalDateTime approvedAt) {

    String statusAt(LocalDateTime t) {
      // latest first: an approval always ends the life, a resubmission follows a return
      if (approvedAt != null && !approvedAt.isAfter(t)) {
        return "APPROVED";
      }
      if (returnedAgainAt != null && !returnedAgainAt.isAfter(t)) {
        return "RETURNED";
      }
      if (resubmittedAt != null && !resubmittedAt.isAfter(t)) {
        return "SUBMITTED";
      }
      if (returnedAt != null && !returnedAt.isAfter(t)) {
        return "RETURNED";
      }
      if (submittedAt != null && !submittedAt.isAfter(t)) {
        return "SUBMITTED";
      }
      return "DRAFT";
    }

    /** The review round the log is in at {@code t}: 1 from its submission, 2 once resubmitted. */
    int reviewRoundAt(LocalDateTime t) {
      return resubmittedAt != null && !resubmittedAt.isAfter(t) ? 2 : 1;
    }

    /** When the current round began at {@code t}, for a log resubmitted by then; otherwise null. */
    LocalDateTime resubmittedAt(LocalDateTime t) {
      return resubmittedAt != null && !resubmittedAt.isAfter(t) ? resubmittedAt : null;
    }
  }

  /** One decision; {@code reviewRound} is the log's review round it belongs to (1, or 2 after a resubmission). */
  public record Review(long id, long logId, long reviewerId, int level, int reviewRound, String decision, String comment,
      LocalDateTime reviewedAt) {}

  public record ServiceItem(long id, long unitId, String name, int legalLimitDays, int promisedLimitDays) {}

  public record ServiceCase(long id, long itemId, LocalDateTime acceptedAt, LocalDateTime startedAt,
      LocalDateTime closedAt, String closedStatus, long handlerId) {

    String statusAt(LocalDateTime t) {
      if (closedAt != null && !closedAt.isAfter(t)) {
        return closedStatus;
      }
      return startedAt != null && !startedAt.isAfter(t) ? "IN_PROGRESS" : "ACCEPTED";
    }
  }

  public record SupervisionItem(long id, long unitId, Long responsibleStaffId, String title,
      LocalDateTime assignedAt, LocalDate deadline, LocalDateTime completedAt, String penalty,
      LocalDateTime penaltyAt) {}

  public record TargetTask(long id, long unitId, String title, String kind, BigDecimal points,
      long responsibleLeaderId, LocalDate plannedStart, LocalDate plannedEnd) {}

  /** Plan and report of one task for one month; the report appears at {@code reportedAt}. */
  public record TaskMonth(long taskId, LocalDate month, BigDecimal plannedProgress,
      BigDecimal reportedProgress, int evidenceCount, LocalDateTime reportedAt, LocalDateTime verifiedAt) {}

  /** A special assessment's result (专项考核) for a unit, out of 100, entered into the source at {@code enteredAt}. */
  public record SpecialAssessment(long id, long unitId, String assessment, LocalDate assessedOn, BigDecimal score,
      LocalDateTime enteredAt) {}

  /** A unit's leadership team scoring another unit for a year (单位互评), out of 100. */
  public record MutualEvaluation(long id, long raterUnitId, long ratedUnitId, int assessmentYear, BigDecimal score,
      LocalDateTime submittedAt) {}

  /** A citizen's rating of a unit's service window (社会评价): 5 非常满意 … 1 非常不满意; {@code caseId} null without a case. */
  public record SatisfactionRating(long id, long unitId, Long caseId, String channel, int rating, LocalDateTime ratedAt) {}
}
