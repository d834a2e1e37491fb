package org.kaoping.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a set-up command to completion, its output kept in a log file that a failure points to. */
public final class Commands {
  private Commands() {}

  /**
   * Runs {@code command}, appending its output to {@code log}; fails naming the command, its exit code, the
   * last lines it printed and the log.
   */
  public static void run(List<String> command, Map<String, String> environment, Path log, long timeoutMinutes) {
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().putAll(environment);
      Process process = builder.start();
      if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new PlatformException(String.join(" ", command) + " did not finish within " + timeoutMinutes
            + " minutes; its output is in " + log);
      }
      if (process.exitValue() != 0) {
        throw new PlatformException(String.join(" ", command) + " failed with exit code " + process.exitValue()
            + ":\n" + tail(log, 15) + "\n(whole output in " + log + ")");
      }
    } catch (IOException e) {
      throw new PlatformException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlatformException("interrupted while running " + String.join(" ", command), e);
    }
  }

  /** The last {@code lines} lines of a log, indented. */
  public static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "    " + String.join("\n    ", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | java.io.UncheckedIOException e) {
      return "    (log unreadable: " + e.getMessage() + ")";
    }
  }
}
