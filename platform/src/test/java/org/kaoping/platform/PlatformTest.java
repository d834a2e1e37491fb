package org.kaoping.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformTest {
  @TempDir Path dir;

  @Test
  void aChangedRequirementsFileGetsAnotherEnvironment() {
    assertEquals(PythonEnvironment.sha256("a==1\n"), PythonEnvironment.sha256("a==1\n"));
    assertNotEquals(PythonEnvironment.sha256("a==1\n"), PythonEnvironment.sha256("a==2\n"));
  }

  @Test
  void dpkgKnowsAnInstalledPackageAndAMissingOne() {
    assertTrue(DebianPackages.installed("bash"));
    assertFalse(DebianPackages.installed("kaoping-no-such-package"));
  }

  @Test
  void aFailedCommandNamesItsExitCodeAndLastLines() {
    Path log = dir.resolve("out.log");
    PlatformException e = assertThrows(PlatformException.class,
        () -> Commands.run(List.of("sh", "-c", "echo first; echo the reason; exit 7"), Map.of(), log, 1));
    assertTrue(e.getMessage().contains("exit code 7"), e.getMessage());
    assertTrue(e.getMessage().contains("the reason"), e.getMessage());
  }

  @Test
  void aServerThatExitsWhileStartingIsReportedWithItsOutput() {
    try (ManagedProcess p = ManagedProcess.start("fake server", List.of("sh", "-c", "echo cannot bind; exit 3"),
        Map.of(), dir, dir.resolve("server.log"))) {
      PlatformException e = assertThrows(PlatformException.class,
          () -> p.awaitHealthy(URI.create("http://127.0.0.1:9/health"), Duration.ofMinutes(2)));
      assertTrue(e.getMessage().contains("exited with code 3") && e.getMessage().contains("cannot bind"), e.getMessage());
    }
  }

  @Test
  void closingStopsTheWholeProcessTree() throws Exception {
    Path pidFile = dir.resolve("child.pid");
    ManagedProcess p = ManagedProcess.start("tree", List.of("sh", "-c", "sleep 600 & echo $! > " + pidFile + "; wait"),
        Map.of(), dir, dir.resolve("tree.log"));
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (!Files.exists(pidFile) || Files.readString(pidFile).isBlank()) {
      assertTrue(System.nanoTime() < deadline, "the child never started");
      java.util.concurrent.locks.LockSupport.parkNanos(10_000_000); // polling the condition, not timing it
    }
    long child = Long.parseLong(Files.readString(pidFile).trim());
    p.close();
    assertFalse(p.isAlive());
    assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), "the grandchild survived");
  }
}
