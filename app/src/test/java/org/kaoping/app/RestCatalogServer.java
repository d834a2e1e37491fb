package org.kaoping.app;

import java.io.IOException;
import java.net.ServerSocket;
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
 * Apache Iceberg's own REST catalog server ({@code org.apache.iceberg.rest.RESTCatalogServer}, the one its REST
 * compatibility kit runs: a JdbcCatalog on SQLite behind the REST protocol, served by Jetty) as a separate JVM,
 * on the classpath the {@code test-servers} module writes. Its warehouse is a local directory.
 */
final class RestCatalogServer implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path warehouse;

  private RestCatalogServer(Process process, int port, Path warehouse) {
    this.process = process;
    this.port = port;
    this.warehouse = warehouse;
  }

  /** Starts the server with its state under {@code dir} and waits until {@code GET /v1/config} answers. */
  static RestCatalogServer start(Path dir) throws Exception {
    String classpath = Files.readString(servers().resolve("rest-catalog.classpath")).strip();
    Files.createDirectories(dir);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path warehouse = dir.resolve("warehouse");
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-cp", classpath, "org.apache.iceberg.rest.RESTCatalogServer")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()));
    // RESTCatalogServer reads its backend's catalog properties from CATALOG_* variables ('_' is '.', '__' is '-')
    builder.environment().putAll(Map.of(
        "CATALOG_WAREHOUSE", warehouse.toString(),
        "CATALOG_URI", "jdbc:sqlite:" + dir.resolve("catalog.db"),
        "CATALOG_CLIENTS", "1", // one SQLite connection: commits are serialised by the server, never 'database is locked'
        "CATALOG_JDBC_SCHEMA__VERSION", "V1",
        "CATALOG_REST_PORT", Integer.toString(port)));
    RestCatalogServer server = new RestCatalogServer(builder.start(), port, warehouse);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      ChildKaoping.await("the REST catalog on port " + port + " (see " + dir.resolve("server.log") + ")", 120,
          () -> server.process.isAlive() && answers(http, server.uri() + "v1/config"));
    } catch (AssertionError | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** Where the {@code test-servers} module put what starts the servers. */
  static Path servers() {
    return Path.of(System.getProperty("kaoping.test.servers", "../test-servers/target"));
  }

  static boolean answers(HttpClient http, String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  String uri() {
    return "http://127.0.0.1:" + port + "/";
  }

  /** The directory the server puts its tables under. */
  Path warehouse() {
    return warehouse;
  }

  /**
   * The catalog properties of the test's own reads: type and address, as in production, without the scan reports a
   * catalog posts in the background (the test opens and closes one every poll, and a report after the close only
   * logs a warning).
   */
  Map<String, String> clientProperties() {
    return Map.of("type", "rest", "uri", uri(), "rest-metrics-reporting-enabled", "false");
  }

  /** The same as {@code --set} arguments for the kaoping command. */
  List<String> settings() {
    return List.of("--set", "warehouse.catalog.type=rest", "--set", "warehouse.catalog.uri=" + uri());
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
