package org.kaoping.app;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Spark standalone cluster on this machine: a master and one worker, each its own JVM running the classes
 * Spark ships ({@code org.apache.spark.deploy.master.Master}, {@code …worker.Worker}) on the test's classpath. The
 * worker starts executors as further JVMs; they get Kaoping's classes from {@code spark.executor.extraClassPath}
 * (see {@link #driverSettings()}).
 */
final class SparkCluster implements AutoCloseable {
  private final List<Process> processes = new ArrayList<>();
  private int port;
  private int uiPort;

  private SparkCluster() {}

  /** Starts the master, waits for its status page to say ALIVE, then the worker, and waits until it registered. */
  static SparkCluster start(Path dir) throws Exception {
    SparkCluster cluster = new SparkCluster();
    try {
      cluster.startProcesses(dir);
    } catch (AssertionError | Exception e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  private void startProcesses(Path dir) throws Exception {
    Path sparkHome = Files.createDirectories(dir.resolve("spark-home"));
    Files.createDirectories(sparkHome.resolve("jars")); // the worker puts <SPARK_HOME>/jars/* on executors' classpath
    port = freePort();
    uiPort = freePort();
    Map<String, String> env = Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_SCALA_VERSION", "2.13",
        "SPARK_LOCAL_IP", "127.0.0.1");
    processes.add(java(dir.resolve("master.log"), env, "org.apache.spark.deploy.master.Master",
        "--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", Integer.toString(uiPort)));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    ChildKaoping.await("the Spark master (see " + dir.resolve("master.log") + ")", 180,
        () -> status(http).contains("\"status\" : \"ALIVE\""));
    processes.add(java(dir.resolve("worker.log"), env, "org.apache.spark.deploy.worker.Worker",
        "--host", "127.0.0.1", "--cores", "2", "--memory", "2g", "--webui-port", Integer.toString(freePort()),
        "--work-dir", Files.createDirectories(dir.resolve("work")).toString(), url()));
    ChildKaoping.await("a Spark worker to register (see " + dir.resolve("worker.log") + ")", 180,
        () -> status(http).contains("\"aliveworkers\" : 1"));
  }

  private String status(HttpClient http) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + uiPort + "/json/"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static Process java(Path log, Map<String, String> env, String main, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("--add-opens")).forEach(cmd::add);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main));
    cmd.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    return builder.start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The master's URL, the value of {@code spark.master}. */
  String url() {
    return "spark://127.0.0.1:" + port;
  }

  /** The {@code --set} arguments that make a kaoping command the cluster's driver. */
  List<String> driverSettings() {
    return List.of("--set", "spark.master=" + url(), "--set", "spark.executor.extraClassPath=" + System.getProperty("java.class.path"),
        "--set", "spark.executor.memory=1g", "--set", "spark.cores.max=2");
  }

  @Override
  public void close() throws InterruptedException {
    for (int i = processes.size() - 1; i >= 0; i--) { // the worker (and its executors) before the master
      Process p = processes.get(i);
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
      }
    }
  }
}
