package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaoping.demo.EmbeddedSourceServer;
import org.kaoping.demo.EmbeddedSourceServer.SourceDatabase;

/** kaoping generate fills empty sources, then adds working days of activity to the world they hold. */
class GenerateCommandTest {
  @TempDir Path dir;

  @Test
  void fillsThenAdvancesTheWorldByWorkingDays() throws Exception {
    StringWriter err = new StringWriter();
    var cli = Kaoping.commandLine();
    cli.setErr(new PrintWriter(err, true));
    assertEquals(2, cli.execute("generate", "--home", dir.toString()));
    assertTrue(err.toString().contains("Say how many units to generate (--units N), or add days of activity to the"
        + " world the sources hold (--advance-days N)."), err.toString());

    assertEquals(0, Kaoping.commandLine().execute("generate", "--home", dir.toString(), "--units", "2",
        "--until", "2025-03-14"));
    long before = logs();
    // 2025-03-14 is a Friday: two working days later is Tuesday the 18th
    assertEquals(0, Kaoping.commandLine().execute("generate", "--home", dir.toString(), "--advance-days", "2"));
    try (EmbeddedSourceServer server = EmbeddedSourceServer.start(dir.resolve("sources"))) {
      assertEquals(LocalDateTime.of(2025, 3, 18, 20, 0), server.loadedState().asOf());
      assertEquals(2, server.loadedState().scale().units());
    }
    assertTrue(logs() > before, "two more days of logs: " + before + " → " + logs());
  }

  private long logs() throws Exception {
    try (EmbeddedSourceServer server = EmbeddedSourceServer.start(dir.resolve("sources"));
         Connection c = server.connect(SourceDatabase.WORKLOG); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT count(*) FROM work_log")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
