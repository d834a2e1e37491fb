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
 * Spark ships ({@code org.apache.spark.deploy.master.Master}, {@code …worker.Worker}). Spark's jars and Iceberg's
 * runtime, as the {@code spark-app} module lists them ({@code spark.classpath}, the jars it leaves provided), stand in
 * for a Spark installation: they are the daemons' classpath and the {@code <SPARK_HOME>/jars} the worker gives its
 * executors (further JVMs). Kaoping's classes reach the executors in its application jar only: submitted with
 * {@link #submit}, or named by {@code spark.executor.extraClassPath} when the kaoping command is the driver
 * ({@link #driverSettings()}).
 */
final class SparkCluster implements AutoCloseable {
  private final List<Process> processes = new ArrayList<>();
  private Path sparkHome;
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
    sparkHome = Files.createDirectories(dir.resolve("spark-home"));
    Path jars = Files.createDirectories(sparkHome.resolve("jars")); // the worker puts <SPARK_HOME>/jars/* on executors' classpath
    for (String jar : sparkClasspath().split(java.io.File.pathSeparator)) {
      Files.createSymbolicLink(jars.resolve(Path.of(jar).getFileName()), Path.of(jar));
    }
    port = freePort();
    uiPort = freePort();
    Map<String, String> env = Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_SCALA_VERSION", "2.13",
        "SPARK_LOCAL_IP", "127.0.0.1");
    processes.add(java(dir.resolve("master.log"), env, sparkClasspath(), "org.apache.spark.deploy.master.Master",
        "--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", Integer.toString(uiPort)));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    ChildKaoping.await("the Spark master (see " + dir.resolve("master.log") + ")", 180,
        () -> status(http).contains("\"status\" : \"ALIVE\""));
    processes.add(java(dir.resolve("worker.log"), env, sparkClasspath(), "org.apache.spark.deploy.worker.Worker",
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

  private static Process java(Path log, Map<String, String> env, String classpath, String main, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("--add-opens")).forEach(cmd::add);
    cmd.addAll(List.of("-cp", classpath, main));
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

  /** The {@code --set} arguments that make a kaoping command the cluster's driver, its executors reading the application jar. */
  List<String> driverSettings() {
    return List.of("--set", "spark.master=" + url(), "--set", "spark.executor.extraClassPath=" + applicationJar(),
        "--set", "spark.executor.memory=1g", "--set", "spark.cores.max=2");
  }

  /**
   * Submits Kaoping's application jar as {@code spark-submit} does in client mode ({@code spark-submit --master … --class
   * … <jar> <args>}; the launcher script only adds the JVM options and Spark's jars to the classpath), appending its
   * output to {@code log}: the driver is that process, the executors run on the worker.
   */
  Process submit(Path log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1500m"));
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("--add-opens")).forEach(cmd::add);
    cmd.addAll(List.of("-cp", sparkClasspath(), "org.apache.spark.deploy.SparkSubmit", "--master", url(),
        "--conf", "spark.executor.memory=1g", "--conf", "spark.cores.max=2",
        "--class", "org.kaoping.sparkapp.SparkApp", applicationJar().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_LOCAL_IP", "127.0.0.1"));
    return builder.start();
  }

  /** The jar {@code spark-submit} takes, as {@code mvn package} built it in the spark-app module. */
  static Path applicationJar() {
    Path target = sparkAppTarget();
    try (var jars = Files.list(target)) {
      return jars.filter(p -> p.getFileName().toString().matches("kaoping-spark-app-[^/]*\\.jar")).findFirst()
          .orElseThrow(() -> new AssertionError("No kaoping-spark-app jar in " + target + ": run 'mvn verify' (the package phase builds it)"));
    } catch (IOException e) {
      throw new AssertionError("Cannot list " + target + ": run 'mvn verify' (the package phase builds it)", e);
    }
  }

  /** Spark's jars and Iceberg's runtime: what the application jar leaves to the cluster. */
  private static String sparkClasspath() {
    try {
      return Files.readString(sparkAppTarget().resolve("spark.classpath")).strip();
    } catch (IOException e) {
      throw new AssertionError("No spark.classpath in " + sparkAppTarget() + ": build the spark-app module first", e);
    }
  }

  private static Path sparkAppTarget() {
    return Path.of(System.getProperty("kaoping.spark.app", "../spark-app/target")).toAbsolutePath().normalize();
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
