package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad configuration stops start-up with one sentence that names the problem, and no stack trace. */
class BadConfigurationTest {
  @TempDir Path dir;

  private record Outcome(int exit, String err) {}

  private Outcome run(String... args) {
    StringWriter err = new StringWriter();
    var cli = Kaoping.commandLine();
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Outcome(exit, err.toString());
  }

  @Test
  void unknownKeyIsNamed() throws Exception {
    Path file = dir.resolve("kaoping.properties");
    Files.writeString(file, "spark.master=local[2]\nmetrics.ful-day-minutes=400\n");
    Outcome o = run("ingest", "--config", file.toString(), "--home", dir.toString());
    assertEquals(2, o.exit());
    assertTrue(o.err().contains("Unknown configuration key 'metrics.ful-day-minutes'"), o.err());
    assertTrue(o.err().contains(file.toString()), "names the file: " + o.err());
    assertFalse(o.err().contains("\tat "), "no stack trace: " + o.err());
  }

  @Test
  void theServiceStopsOnAMissingOrShortTokenOrABadPortNamingTheKey() {
    if (System.getenv("KAOPING_SERVICE_TOKEN") == null) {
      Outcome none = run("serve", "--home", dir.toString());
      assertEquals(2, none.exit());
      assertTrue(none.err().contains("'service.token' (or env KAOPING_SERVICE_TOKEN)") && none.err().contains("none is set"), none.err());
    }
    Outcome shortToken = run("serve", "--home", dir.toString(), "--set", "service.token=letmein");
    assertEquals(2, shortToken.exit());
    assertTrue(shortToken.err().contains("'service.token'") && shortToken.err().contains("too short"), shortToken.err());
    assertFalse(shortToken.err().contains("letmein"), "never prints the token: " + shortToken.err());
    Outcome port = run("serve", "--home", dir.toString(), "--set", "service.token=0123456789abcdef0", "--set", "service.port=70000");
    assertEquals(2, port.exit());
    assertTrue(port.err().contains("'service.port' must be a port between 1 and 65535, was 70000"), port.err());
    Outcome notANumber = run("serve", "--home", dir.toString(), "--set", "service.token=0123456789abcdef0", "--set", "service.port=http");
    assertEquals(2, notANumber.exit());
    assertTrue(notANumber.err().contains("'service.port' must be a whole number, was 'http'"), notANumber.err());
  }

  @Test
  void removedKeyNamesWhatReplacedIt() {
    Outcome o = run("ingest", "--home", dir.toString(), "--set", "ingest.idle-seconds=5");
    assertEquals(2, o.exit());
    assertTrue(o.err().contains("'ingest.idle-seconds'") && o.err().contains("--follow"), o.err());
  }

  @Test
  void badValuesAreNamed() {
    Outcome notANumber = run("build", "--home", dir.toString(), "--set", "metrics.fill-grace-working-days=one");
    assertEquals(2, notANumber.exit());
    assertTrue(notANumber.err().contains("'metrics.fill-grace-working-days' must be a whole number, was 'one'"), notANumber.err());
    Outcome status = run("build", "--home", dir.toString(), "--set", "metrics.counted-statuses=SUBMITTED,DONE");
    assertEquals(2, status.exit());
    assertTrue(status.err().contains("metrics.counted-statuses must be some of"), status.err());
    Outcome strangerSource = run("ingest", "--home", dir.toString(), "--set", "source.hr.port=5432");
    assertEquals(2, strangerSource.exit());
    assertTrue(strangerSource.err().contains("is for source 'hr', which is not listed in 'sources'"), strangerSource.err());
  }

  @Test
  void badCalendarOrSchemeFilesStopStartUp() throws Exception {
    Path calendar = Files.writeString(dir.resolve("calendar.csv"), "year,2027\n2027-02-30,HOLIDAY,x\n");
    Outcome c = run("ingest", "--home", dir.toString(), "--set", "calendar.file=" + calendar);
    assertEquals(2, c.exit());
    assertTrue(c.err().contains(calendar + " line 2 is malformed") && c.err().contains("'calendar.file'"), c.err());
    Path scheme = Files.writeString(dir.resolve("scheme.yaml"), "grading: {method: BEST, excellent: 90, good: 75}\n");
    Outcome s = run("ingest", "--home", dir.toString(), "--set", "scoring.scheme-file=" + scheme);
    assertEquals(2, s.exit());
    assertTrue(s.err().contains("method must be THRESHOLDS or QUOTA") && s.err().contains("'scoring.scheme-file'"), s.err());
  }

  @Test
  void unreachableDatabaseIsNamed() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Outcome o = run("ingest", "--home", dir.toString(), "--set", "sources=worklog",
        "--set", "source.worklog.port=" + closedPort);
    assertEquals(1, o.exit());
    assertTrue(o.err().contains("Cannot connect to source 'worklog' at jdbc:postgresql://127.0.0.1:" + closedPort + "/worklog"), o.err());
    assertTrue(o.err().contains("source.worklog.*"), "says what to check: " + o.err());
    assertFalse(o.err().contains("\tat "), "no stack trace: " + o.err());
  }

  @Test
  void unreachableSparkMasterIsNamed() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Outcome o = run("build", "--home", dir.toString(), "--set", "spark.master=spark://127.0.0.1:" + closedPort);
    assertEquals(2, o.exit());
    assertTrue(o.err().contains("Cannot reach the Spark master spark://127.0.0.1:" + closedPort)
        && o.err().contains("set 'spark.master' to its URL"), o.err());
    assertFalse(o.err().contains("\tat "), "no stack trace: " + o.err());
  }

  @Test
  void unwritableWarehouseIsNamed() throws Exception {
    Path readOnly = Files.createDirectory(dir.resolve("ro"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r-xr-xr-x")));
    Path file = Files.writeString(readOnly.resolve("blocker"), "");  // as root, permissions don't stop writes: use a file as the parent
    Outcome o = run("ingest", "--home", dir.toString(), "--set", "warehouse.catalog.warehouse=" + file.resolve("warehouse"));
    assertEquals(2, o.exit());
    assertTrue(o.err().contains("Cannot write the warehouse directory " + file.resolve("warehouse")), o.err());
    assertTrue(o.err().contains("warehouse.catalog.warehouse"), o.err());
  }
}
