package org.kaoping.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.kaoping.demo.World.Staff;
import org.kaoping.demo.World.Transfer;

/**
 * Writes the demo world into the source databases as it stood at an instant.
 *
 * <p>Moving from one instant to a later one upserts exactly the rows that changed in between, in
 * one transaction per database, so the change stream looks like the real systems' (inserts, then
 * status updates, transfers and departures as updates).
 */
public final class SourceLoader {
  private static final LocalDateTime BEFORE_EVERYTHING = LocalDateTime.of(1900, 1, 1, 0, 0);

  /** A source table: its columns (key first), and how an entity of it looks at an instant. */
  private record TableSpec<E>(String name, List<String> columns, int keyColumns, Collection<E> entities,
      Function<E, List<LocalDateTime>> changeTimes, BiFunction<E, LocalDateTime, Object[]> rowAt) {

    List<String> columnsWithUpdatedAt() {
      List<String> cols = new ArrayList<>(columns);
      cols.add("updated_at");
      return cols;
    }

    boolean existsAt(E e, LocalDateTime t) {
      return !changeTimes.apply(e).get(0).isAfter(t);
    }

    boolean changedBetween(E e, LocalDateTime from, LocalDateTime to) {
      for (LocalDateTime c : changeTimes.apply(e)) {
        if (c != null && c.isAfter(from) && !c.isAfter(to)) {
          return true;
        }
      }
      return false;
    }

    LocalDateTime updatedAt(E e, LocalDateTime t) {
      LocalDateTime u = changeTimes.apply(e).get(0);
      for (LocalDateTime c : changeTimes.apply(e)) {
        if (c != null && !c.isAfter(t) && c.isAfter(u)) {
          u = c;
        }
      }
      return u;
    }
  }

  private final World world;
  private final Map<Long, List<Transfer>> transfersByStaff;

  public SourceLoader(World world) {
    this.world = world;
    this.transfersByStaff = world.transfers().stream().collect(Collectors.groupingBy(Transfer::staffId));
  }

  /**
   * Brings both databases from their state at {@code from} (null: empty) to {@code to}.
   *
   * @return rows written per table
   */
  public Map<String, Integer> advance(LocalDateTime from, LocalDateTime to, Connection worklog, Connection approval)
      throws SQLException {
    Map<String, Integer> written = new LinkedHashMap<>();
    inTransaction(worklog, () -> write(worklogTables(), from, to, worklog, written));
    inTransaction(approval, () -> write(approvalTables(), from, to, approval, written));
    return written;
  }

  /**
   * Brings both databases from {@code from} to {@code to} like {@link #advance}, generating the world one unit at a
   * time (common categories first) so that memory holds one unit, whatever the scale: each database still changes
   * in one transaction. Generating costs as much as the whole world each call, a cost of the simulated sources only.
   *
   * @return rows written per table
   */
  public static Map<String, Integer> advanceUnitByUnit(WorldGenerator generator, LocalDateTime from, LocalDateTime to,
      Connection worklog, Connection approval) throws SQLException {
    Map<String, Integer> written = new LinkedHashMap<>();
    inTransaction(worklog, () -> inTransaction(approval, () -> {
      new SourceLoader(generator.common()).write(from, to, worklog, approval, written);
      for (long unit = 1; unit <= generator.scale().units(); unit++) {
        new SourceLoader(generator.unit(unit)).write(from, to, worklog, approval, written);
      }
    }));
    return written;
  }

  /**
   * Writes the rows that changed between {@code from} (null: empty) and {@code to} inside the callers'
   * transactions, adding the counts to {@code written}: a world loaded part by part (one unit after the
   * other, {@link WorldGenerator#common()} first) commits each step once.
   */
  public void write(LocalDateTime from, LocalDateTime to, Connection worklog, Connection approval,
      Map<String, Integer> written) throws SQLException {
    write(worklogTables(), from, to, worklog, written);
    write(approvalTables(), from, to, approval, written);
  }

  /** Runs {@code work} in one transaction of {@code c}. */
  public static void inTransaction(Connection c, SqlWork work) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      work.run();
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  /** Database work that may fail with an SQLException. */
  @FunctionalInterface
  public interface SqlWork {
    void run() throws SQLException;
  }

  /** Receives rows: the database, the table, its columns (updated_at last) and one row's values. */
  @FunctionalInterface
  public interface RowSink {
    void row(EmbeddedSourceServer.SourceDatabase database, String table, List<String> columns, Object[] values);
  }

  /** The source tables in load order (referenced tables first), with their columns (updated_at last). */
  public static Map<String, List<String>> tableColumns(EmbeddedSourceServer.SourceDatabase database) {
    SourceLoader empty = new SourceLoader(World.concat(List.of()));
    Map<String, List<String>> columns = new LinkedHashMap<>();
    for (TableSpec<?> t : database == EmbeddedSourceServer.SourceDatabase.WORKLOG ? empty.worklogTables() : empty.approvalTables()) {
      columns.put(t.name(), t.columnsWithUpdatedAt());
    }
    return columns;
  }

  /** Every row of the world as the source tables hold it at {@code at}, table by table in load order. */
  public void rowsAt(LocalDateTime at, RowSink sink) {
    emit(EmbeddedSourceServer.SourceDatabase.WORKLOG, worklogTables(), at, sink);
    emit(EmbeddedSourceServer.SourceDatabase.APPROVAL, approvalTables(), at, sink);
  }

  private static void emit(EmbeddedSourceServer.SourceDatabase db, List<TableSpec<?>> tables, LocalDateTime at, RowSink sink) {
    for (TableSpec<?> table : tables) {
      emit(db, table, at, sink);
    }
  }

  private static <E> void emit(EmbeddedSourceServer.SourceDatabase db, TableSpec<E> table, LocalDateTime at, RowSink sink) {
    List<String> columns = table.columnsWithUpdatedAt();
    for (E e : table.entities()) {
      if (table.existsAt(e, at)) {
        Object[] row = table.rowAt().apply(e, at);
        Object[] values = java.util.Arrays.copyOf(row, row.length + 1);
        values[row.length] = table.updatedAt(e, at);
        sink.row(db, table.name(), columns, values);
      }
    }
  }

  private static void write(List<TableSpec<?>> tables, LocalDateTime from, LocalDateTime to, Connection c,
      Map<String, Integer> written) throws SQLException {
    LocalDateTime since = from == null ? BEFORE_EVERYTHING : from;
    for (TableSpec<?> table : tables) {
      written.merge(table.name(), upsert(c, table, since, to), Integer::sum);
    }
  }

  private static <E> int upsert(Connection c, TableSpec<E> table, LocalDateTime from, LocalDateTime to)
      throws SQLException {
    List<String> cols = table.columnsWithUpdatedAt();
    String keys = String.join(", ", cols.subList(0, table.keyColumns()));
    List<String> values = cols.subList(table.keyColumns(), cols.size());
    String sql = "INSERT INTO " + table.name() + " (" + String.join(", ", cols) + ") VALUES ("
        + cols.stream().map(x -> "?").collect(Collectors.joining(", ")) + ") ON CONFLICT (" + keys + ") DO UPDATE SET "
        + values.stream().map(v -> v + " = excluded." + v).collect(Collectors.joining(", "));
    int n = 0;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (E e : table.entities()) {
        if (!table.existsAt(e, to) || !table.changedBetween(e, from, to)) {
          continue;
        }
        Object[] row = table.rowAt().apply(e, to);
        for (int i = 0; i < row.length; i++) {
          ps.setObject(i + 1, jdbcValue(row[i]));
        }
        ps.setObject(row.length + 1, jdbcValue(table.updatedAt(e, to)));
        ps.addBatch();
        if (++n % 2000 == 0) {
          ps.executeBatch();
        }
      }
      ps.executeBatch();
    }
    return n;
  }

  private static Object jdbcValue(Object v) {
    if (v instanceof LocalDateTime t) {
      return Timestamp.valueOf(t);
    }
    if (v instanceof LocalDate d) {
      return java.sql.Date.valueOf(d);
    }
    return v;
  }

  private static LocalDateTime orgTime() {
    return World.ORG_CREATED;
  }

  private List<TableSpec<?>> worklogTables() {
    List<TableSpec<?>> t = new ArrayList<>();
    t.add(new TableSpec<>("unit",
        List.of("id", "name", "level", "type", "parent_unit_id", "authorized_headcount", "peer_group"), 1,
        world.units(), u -> List.of(orgTime()),
        (u, at) -> new Object[] {u.id(), u.name(), u.level(), u.type(), u.parentUnitId(), u.authorizedHeadcount(), u.peerGroup()}));
    t.add(new TableSpec<>("staff",
        List.of("id", "unit_id", "section_id", "display_name", "national_id", "role", "post_duties", "active_from", "active_to"), 1,
        world.staff(), this::staffChangeTimes,
        (s, at) -> new Object[] {s.id(), s.unitId(), sectionAt(s, at), s.displayName(), s.nationalId(), s.role(),
            s.postDuties(), s.activeFrom(), departureRecordedAt(s) != null && !departureRecordedAt(s).isAfter(at) ? s.activeTo() : null}));
    t.add(new TableSpec<>("section", List.of("id", "unit_id", "name", "authorized_headcount", "supervising_leader_id"), 1,
        world.sections(), s -> List.of(orgTime()),
        (s, at) -> new Object[] {s.id(), s.unitId(), s.name(), s.authorizedHeadcount(), s.supervisingLeaderId()}));
    t.add(new TableSpec<>("work_category", List.of("code", "name", "unit_id"), 1,
        world.categories(), c -> List.of(orgTime()), (c, at) -> new Object[] {c.code(), c.name(), c.unitId()}));
    t.add(new TableSpec<>("duty", List.of("id", "unit_id", "section_id", "name", "origin", "shared_code", "active"), 1,
        world.duties(), d -> List.of(orgTime()),
        (d, at) -> new Object[] {d.id(), d.unitId(), d.sectionId(), d.name(), d.origin(), d.sharedCode(), d.active()}));
    t.add(new TableSpec<>("work_log",
        List.of("id", "staff_id", "work_date", "category", "minutes", "duty_id", "content", "attachment_count", "status",
            "submitted_at", "review_round", "resubmitted_at", "created_at"), 1,
        world.logs(), l -> nonNull(l.createdAt(), l.submittedAt(), l.returnedAt(), l.resubmittedAt(), l.returnedAgainAt(),
            l.approvedAt()),
        (l, at) -> new Object[] {l.id(), l.staffId(), l.workDate(), l.category(), l.minutes(), l.dutyId(), l.content(),
            l.attachmentCount(), l.statusAt(at), l.submittedAt() != null && !l.submittedAt().isAfter(at) ? l.submittedAt() : null,
            (short) l.reviewRoundAt(at), l.resubmittedAt(at), l.createdAt()}));
    t.add(new TableSpec<>("log_review",
        List.of("id", "log_id", "reviewer_id", "level", "review_round", "decision", "comment", "reviewed_at"), 1,
        world.reviews(), r -> List.of(r.reviewedAt()),
        (r, at) -> new Object[] {r.id(), r.logId(), r.reviewerId(), (short) r.level(), (short) r.reviewRound(), r.decision(),
            r.comment(), r.reviewedAt()}));
    return t;
  }

  private List<TableSpec<?>> approvalTables() {
    List<TableSpec<?>> t = new ArrayList<>();
    t.add(new TableSpec<>("service_item", List.of("id", "unit_id", "name", "legal_limit_days", "promised_limit_days"), 1,
        world.serviceItems(), i -> List.of(orgTime()),
        (i, at) -> new Object[] {i.id(), i.unitId(), i.name(), i.legalLimitDays(), i.promisedLimitDays()}));
    t.add(new TableSpec<>("service_case", List.of("id", "item_id", "accepted_at", "completed_at", "status", "handler_id"), 1,
        world.serviceCases(), c -> nonNull(c.acceptedAt(), c.startedAt(), c.closedAt()),
        (c, at) -> new Object[] {c.id(), c.itemId(), c.acceptedAt(),
            c.closedAt() != null && !c.closedAt().isAfter(at) ? c.closedAt() : null, c.statusAt(at), c.handlerId()}));
    t.add(new TableSpec<>("supervision_item",
        List.of("id", "unit_id", "responsible_staff_id", "title", "assigned_at", "deadline", "completed_at", "status", "penalty"), 1,
        world.supervisionItems(), s -> nonNull(s.assignedAt(), s.completedAt(), s.penaltyAt()),
        (s, at) -> {
          boolean done = s.completedAt() != null && !s.completedAt().isAfter(at);
          boolean penalised = s.penaltyAt() != null && !s.penaltyAt().isAfter(at);
          return new Object[] {s.id(), s.unitId(), s.responsibleStaffId(), s.title(), s.assignedAt(), s.deadline(),
              done ? s.completedAt() : null, done ? "COMPLETED" : "OPEN", penalised ? s.penalty() : "NONE"};
        }));
    t.add(new TableSpec<>("target_task",
        List.of("id", "unit_id", "title", "kind", "points", "responsible_leader_id", "planned_start", "planned_end"), 1,
        world.targetTasks(), k -> List.of(orgTime()),
        (k, at) -> new Object[] {k.id(), k.unitId(), k.title(), k.kind(), k.points(), k.responsibleLeaderId(),
            k.plannedStart(), k.plannedEnd()}));
    t.add(new TableSpec<>("target_task_plan", List.of("task_id", "month", "planned_progress"), 2,
        world.taskMonths(), m -> List.of(orgTime()), (m, at) -> new Object[] {m.taskId(), m.month(), m.plannedProgress()}));
    t.add(new TableSpec<>("task_progress",
        List.of("task_id", "month", "reported_progress", "evidence_count", "reported_at", "verified"), 2,
        world.taskMonths(), m -> nonNull(m.reportedAt(), m.verifiedAt()),
        (m, at) -> new Object[] {m.taskId(), m.month(), m.reportedProgress(), m.evidenceCount(), m.reportedAt(),
            m.verifiedAt() != null && !m.verifiedAt().isAfter(at)}));
    t.add(new TableSpec<>("special_assessment", List.of("id", "unit_id", "assessment", "assessed_on", "score"), 1,
        world.specialAssessments(), a -> List.of(a.enteredAt()),
        (a, at) -> new Object[] {a.id(), a.unitId(), a.assessment(), a.assessedOn(), a.score()}));
    t.add(new TableSpec<>("mutual_evaluation",
        List.of("id", "rater_unit_id", "rated_unit_id", "assessment_year", "score", "submitted_at"), 1,
        world.mutualEvaluations(), e -> List.of(e.submittedAt()),
        (e, at) -> new Object[] {e.id(), e.raterUnitId(), e.ratedUnitId(), e.assessmentYear(), e.score(), e.submittedAt()}));
    t.add(new TableSpec<>("satisfaction_rating", List.of("id", "unit_id", "case_id", "channel", "rating", "rated_at"), 1,
        world.satisfactionRatings(), r -> List.of(r.ratedAt()),
        (r, at) -> new Object[] {r.id(), r.unitId(), r.caseId(), r.channel(), (short) r.rating(), r.ratedAt()}));
    return t;
  }

  private List<LocalDateTime> staffChangeTimes(Staff s) {
    List<LocalDateTime> times = new ArrayList<>();
    times.add(s.createdAt());
    for (Transfer tr : transfersByStaff.getOrDefault(s.id(), List.of())) {
      times.add(tr.recordedAt());
    }
    times.add(departureRecordedAt(s));
    return times;
  }

  private static LocalDateTime departureRecordedAt(Staff s) {
    return s.activeTo() == null ? null : s.activeTo().atTime(18, 0);
  }

  private Long sectionAt(Staff s, LocalDateTime at) {
    Long section = s.sectionId();
    for (Transfer tr : transfersByStaff.getOrDefault(s.id(), List.of())) {
      if (!tr.recordedAt().isAfter(at)) {
        section = tr.toSectionId();
      }
    }
    return section;
  }

  private static List<LocalDateTime> nonNull(LocalDateTime first, LocalDateTime... rest) {
    List<LocalDateTime> list = new ArrayList<>();
    list.add(first);
    for (LocalDateTime r : rest) {
      if (r != null) {
        list.add(r);
      }
    }
    return list;
  }
}
