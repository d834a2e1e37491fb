package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.kaoping.app.service.Run;
import org.kaoping.app.service.RunKind;
import org.kaoping.app.service.Service;
import org.kaoping.config.KaopingConfig;
import org.kaoping.demo.EmbeddedSourceServer.SourceDatabase;

/**
 * With the service running, a work log committed in the source reaches the serving database by itself:
 * continuous capture, then the scheduled incremental build and publish (interval 2 s here).
 */
class ContinuousServiceTest extends WithEmbeddedSources {
  @Test
  void aCommittedSourceRowAppearsInTheServingDatabaseWithoutAnyCommand() throws Exception {
    runWorklogScript("fixture/phase1.sql");
    KaopingConfig config = KaopingConfig.load(null, Map.of("home", dir.toString(), "service.token", "continuous-test-token-0123",
        "service.build-interval-seconds", "2", "spark.master", "local[2]"));
    try (EmbeddedServing serving = EmbeddedServing.start(config);
         Service service = Service.start(config, config.serviceSettings().withPort(0), server, serving, System.out::println)) {
      servingUrl = serving.target().jdbcUrl() + "?user=postgres";
      ChildKaoping.await("the first scheduled publication", 900, () -> visible("SELECT count(*) FROM kaoping.fact_work_log") > 0);
      long id;
      try (Connection c = server.connect(SourceDatabase.WORKLOG); Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("INSERT INTO work_log (id, staff_id, work_date, category, minutes, content, status,"
               + " submitted_at, created_at, updated_at) SELECT max(id) + 1, 104, '2025-10-10', 'BUSINESS', 45, '持续采集', 'APPROVED',"
               + " '2025-10-10 18:00', '2025-10-10 17:00', '2025-10-10 18:00' FROM work_log RETURNING id")) {
        rs.next();
        id = rs.getLong(1);
      }
      ChildKaoping.await("work log " + id + " in the serving database", 900,
          () -> visible("SELECT count(*) FROM kaoping.fact_work_log WHERE log_id = " + id) == 1);
      Run build = service.runs().latest(RunKind.BUILD, Run.State.SUCCEEDED);
      Run publish = service.runs().latest(RunKind.PUBLISH, Run.State.SUCCEEDED);
      assertTrue(build != null && publish != null, "the schedule's runs are recorded");
      assertEquals(45, visible("SELECT minutes FROM kaoping.fact_work_log WHERE log_id = " + id));
    }
  }

  private static String servingUrl;

  /** A number from the serving database; -1 while it has no publication yet. */
  private static long visible(String query) {
    try (Connection c = DriverManager.getConnection(servingUrl); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(query)) {
      return rs.next() ? rs.getLong(1) : -1;
    } catch (SQLException e) {
      return -1; // no database or views before the first publication
    }
  }
}
