package org.kaoping.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.kaoping.config.KaopingConfig;
import org.kaoping.config.cli.ConfigOptions;

@Command(name = "freshness", mixinStandardHelpOptions = true,
    description = {"Measure how soon a new work log is visible to readers.",
        "Measure freshness with 'kaoping serve' running on the same home: commit a new work log in the",
        "work-log source, time until it is visible in the serving database (kaoping.fact_work_log), remove it again;",
        "a new change every --every seconds; then print p50, p95 and max with the schedule used. A probe copies the",
        "latest log (same day, same person), so the data's as-of date does not move. Default databases: the embedded servers of <home>/sources and <home>/serving-db."})
final class FreshnessBench implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Option(names = "--samples", description = "Changes to time (default: ${DEFAULT-VALUE}).")
  int samples = 20;

  @Option(names = "--every", description = {"Commit a new change every this many seconds, whether or not the earlier ones",
      "are visible yet: a steady trickle, as office hours bring (default: ${DEFAULT-VALUE}). 0: one change at a time,",
      "each after the previous one became visible (an otherwise quiet source)."})
  int everySeconds = 10;

  @Option(names = "--timeout-seconds", description = "Give up on one change after this long (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds = 600;

  @Option(names = "--source-url", description = "JDBC URL of the work-log source (default: database worklog of the embedded server).")
  String sourceUrl;

  @Option(names = "--serving-url", description = "JDBC URL of the serving database (default: serving.jdbc-url, else the embedded serving server).")
  String servingUrl;

  /** The JDBC URL of {@code database} on the embedded server running in {@code dataDirectory}, or null when none runs. */
  private static String runningServer(Path dataDirectory, String database) throws java.io.IOException {
    Path pid = dataDirectory.resolve("postmaster.pid");
    if (!Files.exists(pid)) {
      return null;
    }
    String port = Files.readAllLines(pid).get(3).strip(); // postmaster.pid: line 4 is the port
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
  }

  @Override
  public Integer call() throws Exception {
    KaopingConfig config = options.load();
    String source = sourceUrl;
    String serving = servingUrl != null ? servingUrl : config.servingJdbcUrl();
    if (source == null) {
      source = runningServer(config.home().resolve("sources"), "worklog");
    }
    if (serving == null) {
      serving = runningServer(EmbeddedServing.dataDirectory(config), Serving.EMBEDDED_DATABASE);
    }
    if (source == null || serving == null) {
      System.err.println("kaoping: the embedded servers of " + config.home() + " are not running: start 'kaoping serve'"
          + " first, or give --source-url and --serving-url.");
      return 1;
    }
    int interval = config.serviceSettingsInterval();
    System.out.println("Schedule: a build starts as soon as changes were captured, at most one every " + interval
        + " s (service.build-interval-seconds), and a publish follows it; " + samples + " samples, "
        + (everySeconds > 0 ? "a new change every " + everySeconds + " s (a steady trickle)"
            : "one change at a time (each after the previous one became visible)"));
    List<Double> seconds = new ArrayList<>();
    try (Connection src = DriverManager.getConnection(source); Connection dst = DriverManager.getConnection(serving)) {
      long lastProbe = maxServedLogId(dst); // the serving database may still show a deleted probe of an earlier run
      Map<Long, Long> pending = new LinkedHashMap<>(); // probe id -> nanos when committed
      int committed = 0;
      long nextCommit = System.nanoTime();
      while (seconds.size() < samples) {
        long now = System.nanoTime();
        if (committed < samples && (everySeconds > 0 ? now >= nextCommit : pending.isEmpty())) {
          long id = insertProbe(src, lastProbe);
          lastProbe = id;
          pending.put(id, System.nanoTime());
          committed++;
          nextCommit += everySeconds * 1_000_000_000L;
        }
        for (long id : visible(dst, pending.keySet())) {
          double s = (System.nanoTime() - pending.remove(id)) / 1e9;
          deleteProbe(src, id);
          seconds.add(s);
          System.out.printf("  sample %2d: work log %d visible after %.1f s%n", seconds.size(), id, s);
        }
        for (Map.Entry<Long, Long> p : pending.entrySet()) {
          if (System.nanoTime() - p.getValue() > timeoutSeconds * 1_000_000_000L) {
            System.err.printf("kaoping: work log %d not visible after %d s; is 'kaoping serve' running on this home?%n",
                p.getKey(), timeoutSeconds);
            for (long id : pending.keySet()) {
              deleteProbe(src, id);
            }
            return 1;
          }
        }
        Thread.sleep(250);
      }
    }
    Collections.sort(seconds);
    System.out.printf("Freshness (source commit -> visible in the serving database): p50 %.1f s, p95 %.1f s, max %.1f s"
        + " over %d changes (%s), build interval %d s%n", percentile(seconds, 50), percentile(seconds, 95),
        seconds.get(seconds.size() - 1), seconds.size(), everySeconds > 0 ? "one every " + everySeconds + " s" : "one at a time",
        interval);
    return 0;
  }

  private static void deleteProbe(Connection src, long id) throws java.sql.SQLException {
    try (Statement st = src.createStatement()) {
      st.executeUpdate("DELETE FROM work_log WHERE id = " + id);
    }
  }

  /** Which of the probes the serving database shows. */
  private static List<Long> visible(Connection dst, java.util.Set<Long> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    List<Long> seen = new ArrayList<>();
    try (PreparedStatement q = dst.prepareStatement("SELECT log_id FROM kaoping.fact_work_log WHERE log_id = ANY (?)")) {
      q.setArray(1, dst.createArrayOf("bigint", ids.toArray()));
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          seen.add(rs.getLong(1));
        }
      }
    } catch (java.sql.SQLException e) {
      return List.of(); // the views are switched in a transaction; a first publication may still be making them
    }
    return seen;
  }

  /**
   * Copies the latest work log as a new one (same person, day and simulated times), committed at once; its id
   * is new also to the serving database, which may still show the previous (deleted) probe.
   */
  private static long insertProbe(Connection src, long lastProbe) throws Exception {
    try (Statement s = src.createStatement(); ResultSet rs = s.executeQuery(
        "INSERT INTO work_log (id, staff_id, work_date, category, minutes, duty_id, content, attachment_count, status,"
            + " submitted_at, created_at, updated_at)"
            + " SELECT (SELECT greatest(max(id), " + lastProbe + ") + 1 FROM work_log), staff_id, work_date, category, 30, duty_id, 'freshness probe',"
            + " 0, status, submitted_at, created_at, updated_at FROM work_log ORDER BY updated_at DESC, id DESC LIMIT 1"
            + " RETURNING id")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long maxServedLogId(Connection dst) {
    try (Statement s = dst.createStatement(); ResultSet rs = s.executeQuery("SELECT coalesce(max(log_id), 0) FROM kaoping.fact_work_log")) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      return 0; // nothing published yet
    }
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(List<Double> sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
