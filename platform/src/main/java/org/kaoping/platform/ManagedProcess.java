package org.kaoping.platform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A long-running third-party server (Superset, Airflow) started as a child process, its output in a log file,
 * stopped with its whole process tree (children first: Airflow's standalone leaves them running otherwise), also
 * when the JVM exits.
 */
public final class ManagedProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;
  private final Thread reaper;

  private ManagedProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.reaper = new Thread(this::stopTree, name + "-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  public static ManagedProcess start(String name, List<String> command, Map<String, String> environment,
      Path workingDirectory, Path log) {
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().putAll(environment);
      return new ManagedProcess(name, builder.start(), log);
    } catch (IOException e) {
      throw new PlatformException("cannot start " + name + " (" + command.get(0) + "): " + e.getMessage(), e);
    }
  }

  /**
   * Waits until {@code url} answers 200, failing with the log's tail if the process exits first or the deadline
   * passes.
   */
  public void awaitHealthy(URI url, Duration deadline) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    long end = System.nanoTime() + deadline.toNanos();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        throw new PlatformException(name + " exited with code " + process.exitValue() + " while starting:\n"
            + Commands.tail(log, 25) + "\n(whole output in " + log + ")");
      }
      try {
        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PlatformException("interrupted while waiting for " + name, e);
      }
      try {
        process.waitFor(500, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PlatformException("interrupted while waiting for " + name, e);
      }
    }
    throw new PlatformException(name + " did not answer " + url + " within " + deadline.toSeconds() + " s:\n"
        + Commands.tail(log, 25) + "\n(whole output in " + log + ")");
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  @Override
  public void close() {
    stopTree();
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down; the hook runs anyway
    }
  }

  /** SIGTERM to the direct children, then to the process; SIGKILL whatever of the tree is left after 30 s each. */
  private void stopTree() {
    List<ProcessHandle> descendants = process.descendants().toList();
    List<ProcessHandle> children = process.children().toList();
    children.forEach(ProcessHandle::destroy);
    awaitExit(children, Duration.ofSeconds(30));
    process.destroy();
    awaitExit(List.of(process.toHandle()), Duration.ofSeconds(30));
    descendants.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private static void awaitExit(List<ProcessHandle> handles, Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    for (ProcessHandle h : handles) {
      try {
        long left = end - System.nanoTime();
        if (left > 0) {
          h.onExit().get(left, TimeUnit.NANOSECONDS);
        }
      } catch (Exception e) {
        // still running: killed below
      }
    }
  }
}
