package org.kaoping.app;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Runs {@code kaoping} (or a test's entry point) in a child JVM (the test's classpath), so a test can kill or signal it. */
final class ChildKaoping {
  private ChildKaoping() {}

  /** Starts {@code kaoping args…} with extra {@code -D} properties, appending its output to {@code log}. */
  static Process start(Path log, List<String> systemProperties, String... args) throws IOException {
    return start(log, systemProperties, java.util.Map.of(), args);
  }

  /** As {@link #start(Path, List, String...)}, with extra environment variables (secrets such as the service token). */
  static Process start(Path log, List<String> systemProperties, java.util.Map<String, String> environment, String... args)
      throws IOException {
    return start(log, Kaoping.class, systemProperties, environment, args);
  }

  /** Starts {@code main(args)} of a test's own entry point (one built with a test seam), appending its output to {@code log}. */
  static Process startMain(Path log, Class<?> main, String... args) throws IOException {
    return start(log, main, List.of(), java.util.Map.of(), args);
  }

  private static Process start(Path log, Class<?> main, List<String> systemProperties, java.util.Map<String, String> environment,
      String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("--add-opens")).forEach(cmd::add);
    systemProperties.forEach(p -> cmd.add("-D" + p));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    return builder.start();
  }

  /** Kills, when closed, every child still running: a failed test must not leave a capture behind. */
  static final class Reaper implements AutoCloseable {
    private final List<Process> processes = new ArrayList<>();

    Process add(Process p) {
      processes.add(p);
      return p;
    }

    @Override
    public void close() throws InterruptedException {
      for (Process p : processes) {
        p.destroyForcibly().waitFor();
      }
    }
  }

  /** Waits for {@code condition}, failing with {@code what} after {@code seconds} (generous: machines are loaded). */
  static void await(String what, long seconds, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + seconds * 1000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("Timed out after " + seconds + " s waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  /** True once {@code log} holds {@code text}. */
  static boolean logContains(Path log, String text) {
    try {
      return Files.exists(log) && Files.readString(log).contains(text);
    } catch (IOException e) {
      return false;
    }
  }
}
