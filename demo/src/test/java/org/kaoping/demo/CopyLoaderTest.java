package org.kaoping.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaoping.demo.EmbeddedSourceServer.SourceDatabase;
import org.kaoping.warehouse.WorkingCalendar;

/** The COPY load on a real PostgreSQL: deterministic, equal to the row-by-row loader, calibrated at two scales. */
class CopyLoaderTest {
  private static final WorkingCalendar CALENDAR = WorkingCalendar.builtIn();
  private static final LocalDateTime YEAR_END = LocalDateTime.of(2025, 12, 31, 20, 0);

  @TempDir static Path dir;
  static EmbeddedSourceServer server;

  @BeforeAll
  static void start() throws Exception {
    server = EmbeddedSourceServer.start(dir.resolve("sources"));
    server.ensureSourceSchemas();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void sameSeedAndUnitsGiveTheSameTablesAndTheRowByRowLoaderAgrees() throws Exception {
    DemoScale scale = new DemoScale(7, 6, 2025);
    LocalDateTime at = LocalDateTime.of(2025, 8, 20, 20, 0);
    CopyLoader.Result first = copy(scale, at);
    Map<String, String> checksums = checksums();
    assertEquals(first.totalRows(), first.rows().keySet().stream().mapToLong(CopyLoaderTest::count).sum());
    assertTrue(first.rows().get("work_log") > 0 && first.rows().get("log_review") > 0
        && first.rows().get("task_progress") > 0, first.rows().toString());
    assertThrows(IllegalStateException.class, () -> copy(scale, at), "a second load into full tables is refused");

    empty();
    copy(scale, at);
    assertEquals(checksums, checksums(), "the same seed and units give the same tables");

    empty();
    try (Connection w = server.connect(SourceDatabase.WORKLOG); Connection a = server.connect(SourceDatabase.APPROVAL)) {
      new SourceLoader(WorldGenerator.generate(scale, CALENDAR)).advance(null, at, w, a);
    }
    assertEquals(checksums, checksums(), "COPY writes what the row-by-row loader writes");
    assertEquals(List.of("log_review_log", "work_log_staff_date"), secondaryIndexes(), "indexes recreated");

    empty();
    copy(new DemoScale(8, 6, 2025), at);
    assertNotEquals(checksums.get("work_log"), checksums().get("work_log"), "another seed, another world");
    empty();
  }

  /** Advancing a loaded world one unit at a time (bounded memory, any scale) writes what advancing it whole does. */
  @Test
  void advancingUnitByUnitEqualsAdvancingTheWholeWorld() throws Exception {
    DemoScale scale = new DemoScale(11, 5, 2025);
    LocalDateTime loaded = LocalDateTime.of(2025, 9, 12, 20, 0);
    LocalDateTime later = LocalDateTime.of(2025, 9, 19, 20, 0);
    copy(scale, loaded);
    Map<String, String> before = checksums();
    try (Connection w = server.connect(SourceDatabase.WORKLOG); Connection a = server.connect(SourceDatabase.APPROVAL)) {
      new SourceLoader(WorldGenerator.generate(scale, CALENDAR)).advance(loaded, later, w, a);
    }
    Map<String, String> whole = checksums();
    assertNotEquals(before.get("work_log"), whole.get("work_log"), "a week of new logs");
    assertNotEquals(before.get("log_review"), whole.get("log_review"), "a week of new reviews");

    empty();
    copy(scale, loaded);
    Map<String, Integer> written;
    try (Connection w = server.connect(SourceDatabase.WORKLOG); Connection a = server.connect(SourceDatabase.APPROVAL)) {
      written = SourceLoader.advanceUnitByUnit(WorldGenerator.of(scale, CALENDAR), loaded, later, w, a);
    }
    assertEquals(whole, checksums());
    assertTrue(written.get("work_log") > 0, written.toString());
    empty();
  }

  /**
   * Seed figures (Linyi 2018) at two scales: city units average about 100 %, a large minority above
   * 100 %, a handful below 90 %; county and township units near 100 %. Ratio = counted non-leave
   * minutes / ((working days − leave days) × 420), computed in SQL over the loaded tables.
   */
  @Test
  void workloadRatiosByUnitLevelLookLikeTheSeedFiguresAtTwoScales() throws Exception {
    for (int units : new int[] {16, 64}) {
      copy(new DemoScale(DemoScale.DEFAULT_SEED, units, 2025), YEAR_END);
      Map<String, List<Double>> byLevel = ratiosByLevel();
      List<Double> city = byLevel.get("CITY");
      String what = units + " units: " + byLevel;
      double mean = city.stream().mapToDouble(d -> d).average().orElseThrow();
      long above = city.stream().filter(r -> r > 1.0).count();
      long below90 = city.stream().filter(r -> r < 0.9).count();
      assertEquals(units - units / 4, city.size(), what);
      assertTrue(mean > 0.97 && mean < 1.03, "city mean ratio " + mean + ", " + what);
      assertTrue(above >= city.size() / 4 && above < city.size(), "above 100 %: " + above + ", " + what);
      assertTrue(below90 >= 1 && below90 <= city.size() / 4, "below 90 %: " + below90 + ", " + what);
      List<Double> local = new ArrayList<>(byLevel.get("COUNTY"));
      local.addAll(byLevel.getOrDefault("TOWNSHIP", List.of()));
      assertEquals(units / 4, local.size(), what);
      assertTrue(local.stream().allMatch(r -> r > 0.9 && r < 1.15), "county and township ratios, " + what);
      empty();
    }
  }

  private static CopyLoader.Result copy(DemoScale scale, LocalDateTime at) throws Exception {
    return CopyLoader.load(server, WorldGenerator.of(scale, CALENDAR), at, line -> {});
  }

  private static Map<String, List<Double>> ratiosByLevel() throws Exception {
    try (Connection c = server.connect(SourceDatabase.WORKLOG); Statement s = c.createStatement()) {
      s.execute("CREATE TEMP TABLE cal (d date PRIMARY KEY)");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO cal VALUES (?)")) {
        for (LocalDate d : CALENDAR.workingDays(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31))) {
          ps.setObject(1, d);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      Map<String, List<Double>> byLevel = new LinkedHashMap<>();
      try (ResultSet rs = s.executeQuery("""
          WITH counted AS (
            SELECT l.staff_id, l.work_date, l.category, l.minutes, s.unit_id
            FROM work_log l JOIN staff s ON s.id = l.staff_id WHERE l.status IN ('SUBMITTED', 'APPROVED')
          ),
          work AS (SELECT unit_id, sum(minutes) AS m FROM counted WHERE category <> 'LEAVE' GROUP BY unit_id),
          leave AS (
            SELECT staff_id, work_date, least(sum(minutes), 420) AS m FROM counted
            WHERE category = 'LEAVE' GROUP BY staff_id, work_date
          ),
          expected AS (
            SELECT s.unit_id, sum(420 - coalesce(lv.m, 0)) AS e
            FROM staff s JOIN cal c ON c.d >= s.active_from AND (s.active_to IS NULL OR c.d <= s.active_to)
            LEFT JOIN leave lv ON lv.staff_id = s.id AND lv.work_date = c.d
            GROUP BY s.unit_id
          )
          SELECT u.level, w.m::float8 / e.e FROM unit u JOIN work w ON w.unit_id = u.id JOIN expected e ON e.unit_id = u.id
          ORDER BY u.id""")) {
        while (rs.next()) {
          byLevel.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getDouble(2));
        }
      }
      return byLevel;
    }
  }

  /** Per table, an md5 of every row's text in a fixed order. */
  private static Map<String, String> checksums() throws Exception {
    Map<String, String> sums = new LinkedHashMap<>();
    for (SourceDatabase db : SourceDatabase.values()) {
      try (Connection c = server.connect(db); Statement s = c.createStatement()) {
        for (String table : SourceLoader.tableColumns(db).keySet()) {
          try (ResultSet rs = s.executeQuery("SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM " + table + " t")) {
            rs.next();
            sums.put(table, rs.getString(1));
          }
        }
      }
    }
    return sums;
  }

  private static long count(String table) {
    SourceDatabase db = SourceLoader.tableColumns(SourceDatabase.WORKLOG).containsKey(table)
        ? SourceDatabase.WORKLOG : SourceDatabase.APPROVAL;
    try (Connection c = server.connect(db); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> secondaryIndexes() throws Exception {
    List<String> names = new ArrayList<>();
    try (Connection c = server.connect(SourceDatabase.WORKLOG); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"
             + " AND indexname NOT IN (SELECT conname FROM pg_constraint) ORDER BY indexname")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  private static void empty() throws Exception {
    for (SourceDatabase db : SourceDatabase.values()) {
      try (Connection c = server.connect(db); Statement s = c.createStatement()) {
        s.execute("TRUNCATE " + String.join(", ", SourceLoader.tableColumns(db).keySet()));
      }
    }
  }
}
