package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * One small demo world (4 units), run once per test JVM and shared by the tests that only read what the demo
 * published (the dashboards, the reports): the demo is the costly part of each.
 */
final class PublishedDemo {
  static final int UNITS = 4;
  private static Path home;
  private static String output;

  private PublishedDemo() {}

  /** The demo's home, running the demo on first use; a test must not change it. */
  static synchronized Path home() {
    if (home == null) {
      try {
        Path dir = Files.createTempDirectory("kaoping-published-demo");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        int exit;
        try {
          exit = Kaoping.commandLine().execute("demo", "--home", dir.toString(), "--units", String.valueOf(UNITS),
              "--set", "spark.master=local[2]");
        } finally {
          System.setOut(old);
        }
        output = buffer.toString(StandardCharsets.UTF_8);
        System.out.println(output);
        assertEquals(0, exit, "the shared demo failed:\n" + output);
        home = dir;
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return home;
  }

  /** What the demo printed. */
  static synchronized String output() {
    home();
    return output;
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory; the OS cleans it eventually
    }
  }
}
