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
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "freshness", mixinStandardHelpOptions = true,
    description = {"Measure freshness with 'kaoping serve' running on the same home: commit a new work log in the",
        "work-log source, time until it is visible in the serving database (kaoping.fact_work_log), remove it again;",
        "repeat, then print p50, p95 and max with the schedule used. The probe copies the latest log (same day, same",
        "person), so the data's as-of date does not move. Default databases: the embedded demo server of <home>/sources."})
final class FreshnessBench implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Option(names = "--samples", description = "Changes to time (default: ${DEFAULT-VALUE}).")
  int samples = 20;

  @Option(names = "--timeout-seconds", description = "Give up on one change after this long (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds = 600;

  @Option(names = "--source-url", description = "JDBC URL of the work-log source (default: database worklog of the embedded server).")
  String sourceUrl;

  @Option(names = "--serving-url", description = "JDBC URL of the serving database (default: serving.jdbc-url, else the embedded one).")
  String servingUrl;

  @Override
  public Integer call() throws Exception {
    KaopingConfig config = options.load();
    String source = sourceUrl;
    String serving = servingUrl != null ? servingUrl : config.servingJdbcUrl();
    if (source == null || serving == null) {
      Path pid = config.home().resolve("sources").resolve("postmaster.pid");
      if (!Files.exists(pid)) {
        System.err.println("kaoping: no embedded server is running in " + pid.getParent() + ": start 'kaoping serve' first,"
            + " or give --source-url and --serving-url.");
        return 1;
      }
      String port = Files.readAllLines(pid).get(3).strip(); // postmaster.pid: line 4 is the port
      source = source != null ? source : "jdbc:postgresql://127.0.0.1:" + port + "/worklog?user=postgres";
      serving = serving != null ? serving : "jdbc:postgresql://127.0.0.1:" + port + "/serving?user=postgres";
    }
    int interval = config.serviceSettingsInterval();
    System.out.println("Schedule: build and publish every " + interval + " s when new changes were captured"
        + " (service.build-interval-seconds); " + samples + " samples");
    List<Double> seconds = new ArrayList<>();
    try (Connection src = DriverManager.getConnection(source); Connection dst = DriverManager.getConnection(serving)) {
      long lastProbe = maxServedLogId(dst); // the serving database may still show a deleted probe of an earlier run
      for (int i = 1; i <= samples; i++) {
        long id = insertProbe(src, lastProbe);
        lastProbe = id;
        long t0 = System.nanoTime();
        boolean seen = false;
        while (!seen && System.nanoTime() - t0 < timeoutSeconds * 1_000_000_000L) {
          try (PreparedStatement q = dst.prepareStatement("SELECT 1 FROM kaoping.fact_work_log WHERE log_id = ?")) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
              seen = rs.next();
            }
          } catch (java.sql.SQLException e) {
            seen = false; // the views are switched in a transaction; a first publication may still be making them
          }
          if (!seen) {
            Thread.sleep(250);
          }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        try (Statement st = src.createStatement()) {
          st.executeUpdate("DELETE FROM work_log WHERE id = " + id);
        }
        if (!seen) {
          System.err.printf("kaoping: sample %d: work log %d not visible after %d s; is 'kaoping serve' running on this home?%n",
              i, id, timeoutSeconds);
          return 1;
        }
        seconds.add(s);
        System.out.printf("  sample %2d: work log %d visible after %.1f s%n", i, id, s);
      }
    }
    Collections.sort(seconds);
    System.out.printf("Freshness (source commit -> visible in the serving database): p50 %.1f s, p95 %.1f s, max %.1f s"
        + " over %d changes, build interval %d s%n", percentile(seconds, 50), percentile(seconds, 95),
        seconds.get(seconds.size() - 1), seconds.size(), interval);
    return 0;
  }

  /**
   * Copies the latest work log as a new one (same person, day and simulated times), committed at once; its id
   * is new also to the serving database, which may still show the previous (deleted) probe.
   */
  private static long insertProbe(Connection src, long lastProbe) throws Exception {
    try (Statement s = src.createStatement(); ResultSet rs = s.executeQuery(
        "INSERT INTO work_log (id, staff_id, work_date, category, minutes, duty_ref, content, attachment_count, status,"
            + " submitted_at, created_at, updated_at)"
            + " SELECT (SELECT greatest(max(id), " + lastProbe + ") + 1 FROM work_log), staff_id, work_date, category, 30, duty_ref, 'freshness probe',"
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
