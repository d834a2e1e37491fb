package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.kaoping.config.KaopingConfig;
import org.kaoping.delivery.feed.FeedFiles;
import org.kaoping.delivery.serving.PublicationLog;
import org.kaoping.jobs.scoring.ScoringScheme;
import org.kaoping.warehouse.WarehouseCatalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The cadre-management feed and reproducibility end to end, on the hand-computed fixture: real
 * PostgreSQL (sources and the feed's target), Debezium, Spark and Iceberg. Publications are recorded by
 * {@code kaoping publish} to the test server's serving database.
 */
class FeedAndReproduceTest extends WithEmbeddedSources {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void feedIsVersionedExactAndReproducible() throws Exception {
    server.createDatabase("cadre");
    Path drop = dir.resolve("feed");
    String target = "jdbc:postgresql://127.0.0.1:" + server.port() + "/cadre";
    String[] feedKeys = {"--set", "feed.target-url=" + target, "--set", "feed.target-user=postgres",
        "--set", "feed.period-types=MONTH,QUARTER"};

    // publication 1: phase 1 with the built-in scheme
    runWorklogScript("fixture/phase1.sql");
    assertEquals(0, kaoping("ingest"));
    assertEquals(0, kaoping("build"));
    long first = publish();

    // only complete periods by default
    Run delivered = run(with(feedKeys, "feed", "deliver"));
    assertEquals(0, delivered.exit, delivered.all());
    Map<String, Boolean> completeness = completeness();
    List<String> complete = completeness.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
    List<String> provisional = completeness.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
    assertTrue(complete.contains("2025-10"), "October is complete as of 2025-12-15: " + completeness);
    assertTrue(provisional.contains("2025-Q4"), "Q4 is not: " + completeness);
    FeedFiles files = new FeedFiles(drop);
    assertEquals(complete, files.periods(), delivered.all());
    for (String period : complete) {
      assertEquals(List.of(1), files.versions(period));
      assertManifestMatchesFiles(files, period, 1);
    }
    assertFeedEqualsMarts(files, "2025-10", 1);
    assertEquals(complete.size(), count(target, "SELECT count(*) FROM cadre_feed_version"));
    assertEquals(rows(files, "2025-10", 1).size(), count(target, "SELECT count(*) FROM cadre_score_feed WHERE period = '2025-10'"));
    assertEquals(0, count(target, "SELECT count(*) FROM cadre_score_feed WHERE is_provisional"));
    byte[] csv = Files.readAllBytes(files.versionDir("2025-10", 1).resolve("kaoping-feed_2025-10_v1.csv"));
    assertEquals(0xEF, csv[0] & 0xFF, "CSV starts with the UTF-8 byte-order mark for Excel");
    assertTrue(new String(csv, StandardCharsets.UTF_8).contains("测试局"));

    // re-delivering an unchanged period is a no-op: no version, no file touched
    Map<Path, FileTime> before = mtimes(drop);
    Run again = run(with(feedKeys, "feed", "deliver"));
    assertEquals(0, again.exit, again.all());
    assertTrue(again.out.contains("0 new version(s)"), again.out);
    assertEquals(before, mtimes(drop));
    assertEquals(complete.size(), count(target, "SELECT count(*) FROM cadre_feed_version"));

    // provisional periods only when asked, and marked in every row
    Run prov = run(with(feedKeys, "feed", "deliver", "--provisional"));
    assertEquals(0, prov.exit, prov.all());
    for (String period : provisional) {
      assertEquals(List.of(1), files.versions(period), prov.all());
      assertTrue(files.manifest(period, 1).get("provisional").asBoolean());
      rows(files, period, 1).forEach(r -> assertTrue(r.get("is_provisional").asBoolean(), r.toString()));
    }
    assertEquals(count(target, "SELECT count(*) FROM cadre_score_feed WHERE period = '2025-Q4'"),
        count(target, "SELECT count(*) FROM cadre_score_feed WHERE period = '2025-Q4' AND is_provisional"));
    assertEquals(before, mtimes(drop).entrySet().stream().filter(e -> before.containsKey(e.getKey()))
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));

    // publication 2: late logs (phase 2) and a corrected scheme
    Path scheme = dir.resolve("corrected-scheme.yaml");
    Files.writeString(scheme, ScoringScheme.builtIn().yaml()
        .replace("workload_ratio:              {weight: 54", "workload_ratio:              {weight: 45")
        .replace("fill_rate:                   {weight: 27", "fill_rate:                   {weight: 36"));
    assertNotEquals(ScoringScheme.builtIn().yaml(), Files.readString(scheme), "the corrected scheme differs");
    runWorklogScript("fixture/phase2.sql");
    assertEquals(0, kaoping("ingest"));
    assertEquals(0, kaoping("build", "--set", "scoring.scheme-file=" + scheme));
    long second = publish("--set", "scoring.scheme-file=" + scheme);
    Run changed = run(with(feedKeys, "feed", "deliver"));
    assertEquals(0, changed.exit, changed.all());
    assertEquals(List.of(1, 2), files.versions("2025-10"), changed.all());
    JsonNode v2 = files.manifest("2025-10", 2);
    assertTrue(v2.get("reason").asText().contains("scheme changed"), v2.toString());
    assertTrue(v2.get("reason").asText().contains("data changed"), v2.toString());
    assertTrue(v2.get("rows_changed").asInt() > 0, v2.toString());
    assertEquals(second, v2.get("publication_id").asLong());
    assertEquals(2, v2.get("history").size());
    assertManifestMatchesFiles(files, "2025-10", 1);
    assertManifestMatchesFiles(files, "2025-10", 2);
    assertFeedEqualsMarts(files, "2025-10", 2);
    assertEquals(2, count(target, "SELECT count(*) FROM cadre_feed_version WHERE period = '2025-10'"));
    assertEquals(rows(files, "2025-10", 1).size(),
        count(target, "SELECT count(*) FROM cadre_score_feed WHERE period = '2025-10' AND feed_version = 1"));
    assertEquals(0, count(target, "SELECT count(*) FROM cadre_score_current WHERE period = '2025-10' AND feed_version <> 2"));
    assertEquals(scores(rows(files, "2025-10", 2)), targetScores(target, "2025-10"), "the target holds the same decimals");
    Run notComplete = run(with(feedKeys, "feed", "deliver", "--period", "2025-Q4"));
    assertEquals(1, notComplete.exit);
    assertTrue(notComplete.err.contains("--provisional"), notComplete.err);
    Run history = run(with(feedKeys, "feed", "history", "--period", "2025-10"));
    assertEquals(0, history.exit, history.all());
    assertTrue(history.out.contains("v1  publication " + first) && history.out.contains("v2  publication " + second),
        history.out);

    // expiry never breaks a reproduction; a different scheme is caught
    assertEquals(0, kaoping("maintain", "--set", "maintain.snapshot-retention-hours=0", "--set", "maintain.keep-snapshots=1",
        "--set", "maintain.keep-builds=0"));
    assertOnlyThePublicationKeeps(first);
    Run reproduced = run("reproduce", "--publication", Long.toString(first));
    assertEquals(0, reproduced.exit, reproduced.all());
    assertTrue(reproduced.out.contains("reproduced exactly"), reproduced.out);
    assertEquals(3, reproduced.out.lines().filter(l -> l.endsWith("identical")).count(), reproduced.out);
    Run byPeriod = run(with(feedKeys, "reproduce", "--period", "2025-Q4")); // its feed version 1 came from publication 1
    assertEquals(0, byPeriod.exit, byPeriod.all());
    assertTrue(byPeriod.out.contains("Reproducing publication " + first + " "), byPeriod.out);
    Run latest = run("reproduce");
    assertEquals(0, latest.exit, latest.all());
    Run tampered = run("reproduce", "--publication", Long.toString(first), "--scheme-file", scheme.toString());
    assertEquals(1, tampered.exit, tampered.all());
    assertTrue(tampered.out.contains("DIFFERENT") && tampered.out.contains("published only"), tampered.out);

    // a bad target stops with a sentence naming the key; nothing already delivered is touched
    Map<Path, FileTime> delivered2 = mtimes(drop);
    Run unreachable = run(with(new String[] {"--set", "feed.target-url=jdbc:postgresql://127.0.0.1:1/cadre"}, "feed",
        "deliver"));
    assertEquals(1, unreachable.exit);
    assertTrue(unreachable.err.contains("feed.target-url"), unreachable.err);
    Run stranger = run(with(new String[] {"--set", "feed.target-url=" + target, "--set", "feed.target-user=nobody"}, "feed",
        "deliver"));
    assertEquals(1, stranger.exit);
    assertTrue(stranger.err.contains("feed.target-password"), stranger.err);
    server.createDatabase("cadre_locked");
    sql("cadre_locked", "CREATE ROLE clerk LOGIN");
    Run denied = run(with(new String[] {"--set", "feed.target-url=jdbc:postgresql://127.0.0.1:" + server.port()
        + "/cadre_locked", "--set", "feed.target-user=clerk"}, "feed", "deliver"));
    assertEquals(1, denied.exit);
    assertTrue(denied.err.contains("grant") && denied.err.contains("feed.target-user"), denied.err);
    assertEquals(delivered2, mtimes(drop));

    // a target laid out otherwise is refused, never written
    server.createDatabase("cadre_old");
    sql("cadre_old", "CREATE TABLE cadre_score_feed (period text, unit_id bigint, score double precision)");
    Run old = run(with(new String[] {"--set", "feed.target-url=jdbc:postgresql://127.0.0.1:" + server.port() + "/cadre_old",
        "--set", "feed.target-user=postgres"}, "feed", "deliver"));
    assertEquals(1, old.exit);
    assertTrue(old.err.contains("cadre_score_feed") && old.err.contains("feed schema version"), old.err);
    assertEquals(0, count("jdbc:postgresql://127.0.0.1:" + server.port() + "/cadre_old", "SELECT count(*) FROM cadre_score_feed"));
    // a target of feed schema 1 (as 1 laid it out: no grade-rule columns, rows hashed without them) is migrated to 2
    String cadre = "jdbc:postgresql://127.0.0.1:" + server.port() + "/cadre";
    long versionsBefore = count(cadre, "SELECT count(*) FROM cadre_feed_version");
    for (String table : List.of("cadre_score_feed", "cadre_score_current")) {
      sql("cadre", "ALTER TABLE " + table + " DROP COLUMN grade_before_rules, DROP COLUMN grade_rule, DROP COLUMN consequences");
    }
    sql("cadre", "UPDATE cadre_feed_schema SET feed_schema_version = 1");
    sql("cadre", "UPDATE cadre_feed_version SET feed_schema_version = 1, content_sha256 = md5(content_sha256) || md5(content_sha256)");
    sql("cadre", "UPDATE cadre_score_feed SET row_sha256 = md5(row_sha256) || md5(row_sha256)");
    Run migrated = run(with(feedKeys, "feed", "deliver"));
    assertEquals(0, migrated.exit, migrated.all());
    assertEquals(2, count(cadre, "SELECT max(feed_schema_version) FROM cadre_feed_schema"));
    long migratedVersions = count(cadre, "SELECT count(*) FROM cadre_feed_version WHERE feed_schema_version = 2");
    assertTrue(migratedVersions > 0);
    assertEquals(versionsBefore + migratedVersions, count(cadre, "SELECT count(*) FROM cadre_feed_version"));
    assertEquals(migratedVersions, count(cadre, "SELECT count(*) FROM cadre_feed_version WHERE feed_schema_version = 2"
        + " AND reason LIKE '%: feed schema 1 -> 2%'"));
    assertEquals(0, count(cadre, "SELECT count(*) FROM cadre_score_feed f JOIN cadre_feed_version v USING (period, feed_version)"
        + " WHERE v.feed_schema_version = 1 AND f.grade_before_rules IS NOT NULL"), "rows delivered before keep their nulls");
    assertEquals(0, count(cadre, "SELECT count(*) FROM cadre_score_current WHERE grade IS NOT NULL"
        + " AND grade_before_rules IS NULL AND period IN (SELECT period FROM cadre_feed_version WHERE feed_schema_version = 2)"),
        "the current rows of the periods delivered again are schema 2's");
    sql("cadre", "UPDATE cadre_feed_schema SET feed_schema_version = feed_schema_version - 2");
    Run older = run(with(feedKeys, "feed", "deliver"));
    assertEquals(1, older.exit);
    assertTrue(older.err.contains("schema version 0"), older.err);
  }

  /**
   * After maintenance with no build kept and one snapshot per table, publication {@code id}'s snapshots are no
   * longer current and no build tag holds them: only publication tags (its own among them) kept them from expiry.
   */
  private static void assertOnlyThePublicationKeeps(long id) throws Exception {
    try (org.kaoping.warehouse.WarehouseCatalog w = org.kaoping.warehouse.WarehouseCatalog.open(Map.of("type", "hadoop",
        "warehouse", dir.resolve("warehouse").toString()))) {
      Map<String, Long> snapshots = org.kaoping.delivery.serving.PublicationLog.open(w).byId(id).orElseThrow().tableSnapshots();
      for (String scoreTable : List.of("mart.unit_score_inputs", "mart.person_score_inputs", "mart.unit_score_by_period",
          "mart.person_score_by_period", "mart.score_indicator_points")) {
        assertTrue(snapshots.containsKey(scoreTable), "publication " + id + " records " + scoreTable);
      }
      for (Map.Entry<String, Long> e : snapshots.entrySet()) {
        org.apache.iceberg.Table t = w.load(org.apache.iceberg.catalog.TableIdentifier.parse(e.getKey()));
        assertTrue(t.snapshot(e.getValue()) != null, e.getKey() + " snapshot of publication " + id + " survives expiry");
        if (t.currentSnapshot().snapshotId() == e.getValue()) {
          continue; // not rewritten since: still the table's own
        }
        List<String> refs = t.refs().entrySet().stream().filter(r -> r.getValue().snapshotId() == e.getValue())
            .map(Map.Entry::getKey).toList();
        // a model a later build kept unchanged shares its snapshot with that build's publication too
        assertTrue(refs.contains("kaoping-publication-" + id), e.getKey() + ": " + refs);
        assertTrue(refs.stream().allMatch(r -> r.startsWith("kaoping-publication-")), e.getKey() + ": no build tag, " + refs);
      }
    }
  }

  /** Every feed row of the period equals the published marts: scores and points as the same decimal digits. */
  private static void assertFeedEqualsMarts(FeedFiles files, String period, int version) throws Exception {
    Map<String, String> expected = new TreeMap<>();
    for (Record r : PipelineEndToEndTest.read("mart", "unit_score_by_period")) {
      if (period.equals(r.getField("period"))) {
        expected.put("UNIT|" + r.getField("unit_id"), text(r.getField("score")) + " " + r.getField("rank_in_group") + " "
            + r.getField("grade") + " " + text(r.getField("penalty_points")) + " " + text(r.getField("bonus_points")));
      }
    }
    for (Record r : PipelineEndToEndTest.read("mart", "person_score_by_period")) {
      if (period.equals(r.getField("period"))) {
        expected.put("PERSON|" + r.getField("staff_id"), text(r.getField("score")) + " " + r.getField("rank_in_unit") + " "
            + r.getField("grade") + " " + text(r.getField("penalty_points")) + " " + text(r.getField("bonus_points")));
      }
    }
    Map<String, String> points = new TreeMap<>();
    for (Record r : PipelineEndToEndTest.read("mart", "score_indicator_points")) {
      if (period.equals(r.getField("period"))) {
        points.put(r.getField("level") + "|" + r.getField("entity_id") + "|" + r.getField("indicator"),
            text(r.getField("points")) + " " + BigDecimal.valueOf((Double) r.getField("value")).toPlainString());
      }
    }
    Map<String, String> actual = new TreeMap<>();
    Map<String, String> actualPoints = new TreeMap<>();
    for (JsonNode r : rows(files, period, version)) {
      String key = r.get("level").asText() + "|" + r.get("entity_id").asLong();
      actual.put(key, (r.get("score").isNull() ? "null" : r.get("score").asText()) + " "
          + (r.get("rank_in_group").isNull() ? "null" : r.get("rank_in_group").asText()) + " "
          + (r.get("grade").isNull() ? "null" : r.get("grade").asText()) + " " + r.get("penalty_points").asText() + " "
          + r.get("bonus_points").asText());
      BigDecimal sum = BigDecimal.ZERO;
      for (JsonNode i : r.get("indicators")) {
        actualPoints.put(key + "|" + i.get("indicator").asText(), i.get("points").asText() + " " + i.get("value").asText());
        sum = sum.add(new BigDecimal(i.get("points").asText()));
      }
      if (!r.get("score").isNull()) {
        assertEquals(new BigDecimal(r.get("indicator_points").asText()), sum, "points add up to the published points: " + r);
      }
    }
    assertEquals(expected, actual);
    assertEquals(points, actualPoints);
    assertFalse(actual.isEmpty());
  }

  private static Map<String, String> scores(List<JsonNode> rows) {
    Map<String, String> out = new TreeMap<>();
    rows.forEach(r -> out.put(r.get("level").asText() + "|" + r.get("entity_id").asLong(),
        r.get("score").isNull() ? "null" : r.get("score").asText()));
    return out;
  }

  private static Map<String, String> targetScores(String url, String period) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT level, entity_id, score::text FROM cadre_score_current WHERE period = '"
             + period + "'")) {
      while (rs.next()) {
        out.put(rs.getString(1) + "|" + rs.getLong(2), rs.getString(3) == null ? "null" : rs.getString(3));
      }
    }
    return out;
  }

  private static String text(Object v) {
    return v == null ? "null" : v instanceof BigDecimal d ? d.toPlainString() : v.toString();
  }

  private static void assertManifestMatchesFiles(FeedFiles files, String period, int version) throws Exception {
    JsonNode m = files.manifest(period, version);
    assertEquals(period, m.get("period").asText());
    assertEquals(version, m.get("version").asInt());
    assertEquals(3, m.get("files").size(), "CSV, JSON Lines and the sheet");
    for (JsonNode f : m.get("files")) {
      byte[] bytes = Files.readAllBytes(files.versionDir(period, version).resolve(f.get("name").asText()));
      assertEquals(f.get("sha256").asText(), java.util.HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(bytes)), f.get("name").asText());
    }
    assertEquals(m.get("row_counts").get("total").asInt(), rows(files, period, version).size());
  }

  private static List<JsonNode> rows(FeedFiles files, String period, int version) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(files.versionDir(period, version).resolve("kaoping-feed_" + period + "_v" + version
        + ".jsonl"))) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  /** MONTH and QUARTER periods of the published unit scores → complete. */
  private static Map<String, Boolean> completeness() throws Exception {
    Map<String, Boolean> out = new TreeMap<>();
    for (Record r : PipelineEndToEndTest.read("mart", "unit_score_by_period")) {
      if (Set.of("MONTH", "QUARTER").contains(r.getField("period_type"))) { // the types feed.period-types names here
        out.put((String) r.getField("period"), (Boolean) r.getField("is_complete"));
      }
    }
    return out;
  }

  /** Every file of the drop with its modification time. */
  private static Map<Path, FileTime> mtimes(Path root) throws Exception {
    Map<Path, FileTime> out = new HashMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.isRegularFile(p)) { // directories gain entries when other periods are delivered
          out.put(p, Files.getLastModifiedTime(p));
        }
      }
    }
    return out;
  }

  private static long count(String url, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void sql(String database, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(server.jdbcUrl(database)); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static String[] with(String[] keys, String... command) {
    String[] out = new String[command.length + keys.length];
    System.arraycopy(command, 0, out, 0, command.length);
    System.arraycopy(keys, 0, out, command.length, keys.length);
    return out;
  }

  private record Run(int exit, String out, String err) {
    String all() {
      return out + "\n" + err;
    }
  }

  private Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = kaoping(args);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    String o = out.toString(StandardCharsets.UTF_8);
    String e = err.toString(StandardCharsets.UTF_8);
    oldOut.println(o);
    oldErr.println(e);
    return new Run(exit, o, e);
  }

  /** Publishes the latest build to the test server's serving database, as the demo does; returns the publication id. */
  private long publish(String... extra) throws Exception {
    String url = Serving.embedded(KaopingConfig.load(null, Map.of()), server.port()).jdbcUrl();
    List<String> args = new ArrayList<>(List.of("publish", "--set", "serving.jdbc-url=" + url));
    args.addAll(List.of(extra));
    assertEquals(0, kaoping(args.toArray(String[]::new)));
    try (WarehouseCatalog w = WarehouseCatalog.open(Map.of("type", "hadoop", "warehouse", dir.resolve("warehouse").toString()))) {
      return PublicationLog.open(w).latest().orElseThrow().publicationId();
    }
  }

  private int kaoping(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    // options go after the (sub)command words
    all.addAll(List.of("--home", dir.toString(), "--set", "source.worklog.port=" + server.port(),
        "--set", "source.approval.port=" + server.port(), "--set", "metrics.as-of-date=2025-12-15",
        "--set", "spark.master=local[2]"));
    return Kaoping.commandLine().execute(all.toArray(String[]::new));
  }

}
