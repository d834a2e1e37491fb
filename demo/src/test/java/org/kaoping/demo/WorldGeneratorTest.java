package org.kaoping.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.kaoping.demo.World.Staff;
import org.kaoping.demo.World.WorkLog;
import org.kaoping.warehouse.WorkingCalendar;

class WorldGeneratorTest {
  private static final WorkingCalendar CALENDAR = WorkingCalendar.builtIn();

  @Test
  void sameSeedGivesTheSameWorldAndAnotherSeedDoesNot() {
    DemoScale scale = new DemoScale(7, 4, 2025);
    World a = WorldGenerator.generate(scale, CALENDAR);
    World b = WorldGenerator.generate(scale, CALENDAR);
    assertEquals(a, b);
    World c = WorldGenerator.generate(new DemoScale(8, 4, 2025), CALENDAR);
    assertNotEquals(a.logs(), c.logs());
  }

  @Test
  void worldHasTheEdgeCasesTheMetricsMustHandle() {
    World w = WorldGenerator.generate(DemoScale.defaults(), CALENDAR);
    Set<String> statuses = w.logs().stream().map(l -> l.statusAt(LocalDate.of(2026, 3, 1).atStartOfDay()))
        .collect(Collectors.toSet());
    assertEquals(Set.of("DRAFT", "SUBMITTED", "APPROVED", "RETURNED"), statuses);
    assertTrue(w.logs().stream().anyMatch(l -> l.category().equals("LEAVE")), "leave");
    assertTrue(w.logs().stream().anyMatch(l -> !CALENDAR.isWorkingDay(l.workDate())), "weekend work");
    assertTrue(w.staff().stream().anyMatch(s -> s.activeFrom().getYear() == 2025), "mid-year joiners");
    assertTrue(w.staff().stream().anyMatch(s -> s.activeTo() != null), "departures");
    assertTrue(!w.transfers().isEmpty(), "section transfers");
    assertTrue(w.logs().stream().anyMatch(l -> l.submittedAt() != null
        && l.submittedAt().toLocalDate().isAfter(CALENDAR.plusWorkingDays(l.workDate(), 1))), "late filing");
  }

  /** Returned logs come back corrected and are reviewed again: round 2 approves, returns again, or is still open. */
  @Test
  void returnedLogsAreResubmittedAndReviewedInASecondRound() {
    World w = WorldGenerator.generate(DemoScale.defaults(), CALENDAR);
    var asOf = LocalDate.of(2026, 3, 1).atStartOfDay();
    List<WorkLog> resubmitted = w.logs().stream().filter(l -> l.resubmittedAt() != null).toList();
    assertTrue(resubmitted.stream().allMatch(l -> l.returnedAt() != null && l.resubmittedAt().isAfter(l.returnedAt())),
        "a resubmission follows a return");
    assertTrue(resubmitted.stream().anyMatch(l -> l.statusAt(asOf).equals("APPROVED")), "approved in round 2");
    assertTrue(resubmitted.stream().anyMatch(l -> l.returnedAgainAt() != null), "returned again in round 2");
    assertTrue(w.logs().stream().anyMatch(l -> l.returnedAt() != null && l.resubmittedAt() == null), "returned for good");
    Set<Long> second = resubmitted.stream().map(WorkLog::id).collect(Collectors.toSet());
    Map<Long, Set<Integer>> rounds = w.reviews().stream().collect(Collectors.groupingBy(World.Review::logId,
        Collectors.mapping(World.Review::reviewRound, Collectors.toSet())));
    assertTrue(second.stream().anyMatch(id -> rounds.getOrDefault(id, Set.of()).equals(Set.of(1, 2))), "decisions of both rounds");
    assertTrue(rounds.entrySet().stream().filter(e -> e.getValue().contains(2)).allMatch(e -> second.contains(e.getKey())),
        "only a resubmitted log has round-2 decisions");
    WorkLog one = resubmitted.get(0);
    assertEquals(List.of("RETURNED", 1, "SUBMITTED", 2), List.of(one.statusAt(one.resubmittedAt().minusMinutes(1)),
        one.reviewRoundAt(one.resubmittedAt().minusMinutes(1)), one.statusAt(one.resubmittedAt()),
        one.reviewRoundAt(one.resubmittedAt())), "the source's status and round around the resubmission");
  }

  /**
   * Personal responsibility (定任务、定人员、定时限): supervised items with and without a responsible person of their
   * unit, completed early, on the deadline day, late or still open, some penalised; each target task led by a deputy
   * leader of its unit.
   */
  @Test
  void supervisedItemsAndTargetTasksNameTheirResponsiblePeople() {
    World w = WorldGenerator.generate(DemoScale.defaults(), CALENDAR);
    Map<Long, Staff> staff = w.staff().stream().collect(Collectors.toMap(Staff::id, s -> s));
    List<World.SupervisionItem> named = w.supervisionItems().stream().filter(i -> i.responsibleStaffId() != null).toList();
    assertTrue(named.stream().allMatch(i -> staff.get(i.responsibleStaffId()).unitId() == i.unitId()), "of the item's unit");
    assertTrue(named.size() < w.supervisionItems().size(), "some items name no one");
    assertTrue(named.stream().anyMatch(i -> i.completedAt() != null && i.completedAt().toLocalDate().isBefore(i.deadline())),
        "completed early");
    assertTrue(named.stream().anyMatch(i -> i.completedAt() != null && i.completedAt().toLocalDate().equals(i.deadline())),
        "completed on the deadline day");
    assertTrue(named.stream().anyMatch(i -> i.completedAt() != null && i.completedAt().toLocalDate().isAfter(i.deadline())),
        "completed late");
    assertTrue(named.stream().anyMatch(i -> i.completedAt() == null), "overdue and open");
    assertTrue(named.stream().anyMatch(i -> !i.penalty().equals("NONE")), "a penalty falls on a responsible person");
    assertTrue(named.stream().anyMatch(i -> i.penalty().equals("ADMONITION")) && named.stream()
        .anyMatch(i -> i.penalty().equals("ACCOUNTABILITY")), "Golmud's capping penalties fall on responsible people too");
    assertTrue(w.targetTasks().stream().allMatch(t -> staff.get(t.responsibleLeaderId()).unitId() == t.unitId()
        && staff.get(t.responsibleLeaderId()).role().equals("DEPUTY_LEADER")), "tasks led by their unit's deputies");
  }

  /**
   * The duty register (职能任务): duties of each unit and its sections, most logs naming one of their author's unit, a
   * duty in every unit that no log serves (职能缺失), inactive duties, and duties claimed by more than one unit (职责交叉):
   * one name, spelt two ways, in two units of one peer group, and a shared code held by several units.
   */
  @Test
  void dutiesAreServedMissingAndClaimedByMoreThanOneUnit() {
    World w = WorldGenerator.generate(DemoScale.defaults(), CALENDAR);
    Map<Long, Staff> staff = w.staff().stream().collect(Collectors.toMap(Staff::id, s -> s));
    Map<Long, World.Duty> duties = w.duties().stream().collect(Collectors.toMap(World.Duty::id, d -> d));
    Map<Long, Long> sectionUnit = w.sections().stream().collect(Collectors.toMap(World.Section::id, World.Section::unitId));
    assertTrue(w.duties().stream().allMatch(d -> d.sectionId() == null || sectionUnit.get(d.sectionId()) == d.unitId()),
        "a section's duty is its unit's");
    assertTrue(w.duties().stream().anyMatch(d -> d.sectionId() == null) && w.duties().stream().anyMatch(d -> d.sectionId() != null),
        "duties of units as a whole and of sections");
    List<WorkLog> work = w.logs().stream().filter(l -> !l.category().equals("LEAVE")).toList();
    long named = work.stream().filter(l -> l.dutyId() != null).count();
    assertTrue(named > 0.8 * work.size() && named < work.size(), named + " of " + work.size() + " logs name a duty");
    assertTrue(w.logs().stream().filter(l -> l.dutyId() != null).allMatch(l -> duties.get(l.dutyId()).active()
        && duties.get(l.dutyId()).unitId() == staff.get(l.staffId()).unitId()), "an active duty of the author's unit");
    assertTrue(w.logs().stream().noneMatch(l -> l.category().equals("LEAVE") && l.dutyId() != null), "leave serves no duty");
    Set<Long> served = w.logs().stream().map(WorkLog::dutyId).filter(d -> d != null).collect(Collectors.toSet());
    Set<Long> missing = w.duties().stream().filter(d -> d.active() && !served.contains(d.id())).map(World.Duty::unitId)
        .collect(Collectors.toSet());
    assertEquals(w.units().size(), missing.size(), "every unit has a duty with no logged work");
    assertTrue(w.duties().stream().anyMatch(d -> !d.active()), "inactive duties");
    Map<Long, String> peerGroup = w.units().stream().collect(Collectors.toMap(World.Unit::id, World.Unit::peerGroup));
    Map<String, Set<Long>> byName = w.duties().stream().collect(Collectors.groupingBy(
        d -> peerGroup.get(d.unitId()) + "/" + d.name().replaceAll("[\\s\\p{P}]", ""),
        Collectors.mapping(World.Duty::unitId, Collectors.toSet())));
    assertTrue(byName.values().stream().anyMatch(units -> units.size() > 1), "one duty name in two units of a peer group");
    assertTrue(w.duties().stream().filter(d -> d.sharedCode() != null).map(World.Duty::unitId).distinct().count() > 1,
        "a shared duty code held by several units");
    assertTrue(w.duties().stream().map(World.Duty::name).distinct().count() > w.duties().size() - 3, "few names repeat");
  }

  /**
   * Golmud's inputs to the total: special assessments of every unit each quarter, every unit scored by others for the
   * year (never by itself in the clean rows), citizens' ratings of a share of the completed cases; and the bad rows each
   * rule of the warehouse sets aside: scores above 100, a self-rating, a second score of one unit, units not in the
   * register, a rating 6, a second rating of one case.
   */
  @Test
  void evaluationInputsAndTheBadRowsTheirRulesCatch() {
    World w = WorldGenerator.generate(DemoScale.defaults(), CALENDAR);
    Set<Long> units = w.units().stream().map(World.Unit::id).collect(Collectors.toSet());
    java.math.BigDecimal hundred = java.math.BigDecimal.valueOf(100);
    Map<Long, Long> quarters = w.specialAssessments().stream().filter(a -> units.contains(a.unitId()))
        .filter(a -> a.score().compareTo(hundred) <= 0)
        .collect(Collectors.groupingBy(World.SpecialAssessment::unitId, Collectors.counting()));
    assertEquals(units, quarters.keySet(), "every unit is assessed");
    assertTrue(quarters.values().stream().allMatch(n -> n == 4), "once a quarter: " + quarters);
    assertTrue(w.specialAssessments().stream().anyMatch(a -> a.score().compareTo(hundred) > 0), "a special score above 100");
    assertTrue(w.specialAssessments().stream().anyMatch(a -> !units.contains(a.unitId())), "a result of an unknown unit");

    Map<Long, Long> raters = w.mutualEvaluations().stream().filter(e -> e.raterUnitId() != e.ratedUnitId())
        .filter(e -> units.contains(e.ratedUnitId()) && e.score().compareTo(hundred) <= 0)
        .collect(Collectors.groupingBy(World.MutualEvaluation::ratedUnitId, Collectors.counting()));
    assertEquals(units, raters.keySet(), "every unit is scored by others");
    assertTrue(w.mutualEvaluations().stream().anyMatch(e -> e.raterUnitId() == e.ratedUnitId()), "a self-rating");
    assertTrue(w.mutualEvaluations().stream().anyMatch(e -> e.score().compareTo(hundred) > 0), "a mutual score above 100");
    assertTrue(w.mutualEvaluations().stream().anyMatch(e -> !units.contains(e.ratedUnitId())), "an unknown rated unit");
    assertTrue(w.mutualEvaluations().stream().collect(Collectors.groupingBy(e -> e.raterUnitId() + "/" + e.ratedUnitId(),
        Collectors.counting())).values().stream().anyMatch(n -> n > 1), "a unit scoring one unit twice");

    long completed = w.serviceCases().stream().filter(c -> c.closedAt() != null && c.closedStatus().equals("COMPLETED")).count();
    long rated = w.satisfactionRatings().stream().filter(r -> r.caseId() != null).map(World.SatisfactionRating::caseId)
        .distinct().count();
    assertTrue(rated > 0.2 * completed && rated < 0.6 * completed, rated + " of " + completed + " completed cases rated");
    assertTrue(w.satisfactionRatings().stream().anyMatch(r -> r.rating() < 4), "dissatisfied citizens too");
    assertTrue(w.satisfactionRatings().stream().anyMatch(r -> r.rating() > 5), "a rating 6");
    assertTrue(w.satisfactionRatings().stream().anyMatch(r -> !units.contains(r.unitId())), "a rating of an unknown unit");
    assertTrue(w.satisfactionRatings().stream().filter(r -> r.caseId() != null).collect(Collectors.groupingBy(
        World.SatisfactionRating::caseId, Collectors.counting())).values().stream().anyMatch(n -> n > 1), "a case rated twice");
    assertTrue(w.satisfactionRatings().stream().map(World.SatisfactionRating::unitId).filter(units::contains)
        .noneMatch(u -> w.units().stream().anyMatch(x -> x.id() == u && x.type().equals("PARTY"))), "party organs have no windows");
  }

  /**
   * Seed figures (Linyi 2018): city units average about 100 %, a large minority above 100 %, a
   * handful below 90 %. Ratio = counted non-leave minutes / ((working days − leave days) × 420).
   */
  @Test
  void cityUnitWorkloadRatiosLookLikeTheSeedFigures() {
    World w = WorldGenerator.generate(DemoScale.defaults(), CALENDAR);
    Map<Long, Staff> staff = w.staff().stream().collect(Collectors.toMap(Staff::id, s -> s));
    Map<Long, double[]> unit = new HashMap<>(); // unitId -> {workload, expected}
    var asOf = LocalDate.of(2026, 3, 1).atStartOfDay();
    Map<Long, Map<LocalDate, Integer>> leave = new HashMap<>();
    for (WorkLog l : w.logs()) {
      String status = l.statusAt(asOf);
      if (!status.equals("SUBMITTED") && !status.equals("APPROVED")) {
        continue;
      }
      long u = staff.get(l.staffId()).unitId();
      if (l.category().equals("LEAVE")) {
        leave.computeIfAbsent(l.staffId(), k -> new HashMap<>()).merge(l.workDate(), l.minutes(), Integer::sum);
      } else {
        unit.computeIfAbsent(u, k -> new double[2])[0] += l.minutes();
      }
    }
    for (Staff s : w.staff()) {
      LocalDate from = s.activeFrom().isBefore(LocalDate.of(2025, 1, 1)) ? LocalDate.of(2025, 1, 1) : s.activeFrom();
      LocalDate to = s.activeTo() == null ? LocalDate.of(2025, 12, 31) : s.activeTo();
      double leaveMinutes = leave.getOrDefault(s.id(), Map.of()).entrySet().stream()
          .filter(e -> CALENDAR.isWorkingDay(e.getKey())).mapToInt(e -> Math.min(420, e.getValue())).sum();
      unit.computeIfAbsent(s.unitId(), k -> new double[2])[1] += CALENDAR.workingDays(from, to).size() * 420.0 - leaveMinutes;
    }
    List<Double> cityRatios = w.units().stream().filter(u -> u.level().equals("CITY"))
        .map(u -> unit.get(u.id())[0] / unit.get(u.id())[1]).toList();
    double mean = cityRatios.stream().mapToDouble(d -> d).average().orElseThrow();
    long above = cityRatios.stream().filter(r -> r > 1.0).count();
    long below90 = cityRatios.stream().filter(r -> r < 0.9).count();
    assertTrue(mean > 0.97 && mean < 1.03, "city mean ratio " + mean + " " + cityRatios);
    assertTrue(above >= cityRatios.size() / 4 && above < cityRatios.size(), "above 100 %: " + above + " " + cityRatios);
    assertTrue(below90 >= 1 && below90 <= cityRatios.size() / 4, "below 90 %: " + below90 + " " + cityRatios);
  }
}
