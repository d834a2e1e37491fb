package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.kaoping.warehouse.WarehouseLock;

import picocli.CommandLine;

/**
 * Two runs of the same kind on one warehouse never interleave: the second is refused at once, naming
 * the holder; a holder killed with SIGKILL leaves no lock behind.
 */
class WarehouseLockCommandTest extends WithEmbeddedSources {
  record Run(int exitCode, String err, long millis) {}

  @Test
  void aSecondBuildOrMaintainIsRefusedWhileTheBuildLockIsHeld() {
    try (WarehouseLock held = WarehouseLock.acquire(dir, WarehouseLock.Kind.BUILD, "kaoping build (test holder)")) {
      String holder = "'kaoping build (test holder)' (pid " + ProcessHandle.current().pid() + " on host ";
      Run build = kaoping("build");
      assertEquals(1, build.exitCode(), build.err());
      assertTrue(build.err().contains("Another Kaoping run holds this warehouse's build lock: " + holder), build.err());
      assertTrue(build.err().contains("wait for it to finish, then run again"), build.err());
      assertTrue(build.millis() < 30_000, "refused at once, not after waiting: " + build.millis() + " ms");
      Run maintain = kaoping("maintain");
      assertEquals(1, maintain.exitCode(), maintain.err());
      assertTrue(maintain.err().contains("build lock: " + holder), maintain.err());
    }
    assertTrue(!Files.exists(dir.resolve("warehouse/ops/build_run")), "the refused runs wrote nothing");
  }

  @Test
  void aSecondIngestIsRefusedAndAKilledIngestLeavesNoLockBehind() throws Exception {
    runWorklogScript("fixture/phase1.sql");
    Process holder = startIngest();
    try {
      waitForLockHolder(holder.pid());
      Run second = kaoping("ingest");
      assertEquals(1, second.exitCode(), second.err());
      assertTrue(second.err().contains("holds this warehouse's ingest lock: 'kaoping ingest' (pid " + holder.pid() + " on host "),
          second.err());
      Run maintain = kaoping("maintain");
      assertEquals(1, maintain.exitCode(), maintain.err());
      assertTrue(maintain.err().contains("ingest lock: 'kaoping ingest' (pid " + holder.pid()), maintain.err());
    } finally {
      holder.destroyForcibly(); // SIGKILL: no shutdown hook, no unlock; only the kernel can release the lock
      assertTrue(holder.waitFor(60, TimeUnit.SECONDS), "the ingest process dies");
    }
    Run next = kaoping("ingest");
    assertEquals(0, next.exitCode(), "the next ingest takes the lock: " + next.err());
  }

  private Run kaoping(String command) {
    CommandLine cli = Kaoping.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    long started = System.currentTimeMillis();
    int code = cli.execute(command, "--home", dir.toString(), "--set", "sources=worklog",
        "--set", "source.worklog.port=" + server.port(), "--set", "spark.master=local[2]");
    return new Run(code, err.toString(), System.currentTimeMillis() - started);
  }

  /** An ingest in a child JVM that keeps capturing (--follow) until killed. */
  private Process startIngest() throws Exception {
    return ChildKaoping.start(dir.resolve("lock-holder.log"), List.of(), "ingest", "--follow", "--home", dir.toString(),
        "--set", "sources=worklog", "--set", "source.worklog.port=" + server.port());
  }

  private void waitForLockHolder(long pid) throws Exception {
    Path lockFile = dir.resolve("locks/ingest.lock");
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      if (Files.exists(lockFile) && Files.readString(lockFile).contains("pid=" + pid + "\n")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the child ingest did not take the lock within 120 s; see " + dir.resolve("lock-holder.log"));
  }
}
