package org.kaoping.app;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.kaoping.platform.ManagedProcess;

/**
 * Apache Iceberg's own REST catalog server ({@code org.apache.iceberg.rest.RESTCatalogServer}, the one its REST
 * compatibility kit runs: a JdbcCatalog on SQLite behind the REST protocol, served by Jetty) as a separate JVM,
 * on the classpath the {@code test-servers} module writes. Its warehouse is a local directory.
 */
final class RestCatalogServer implements AutoCloseable {
  private final ManagedProcess process;
  private final int port;
  private final Path warehouse;

  private RestCatalogServer(ManagedProcess process, int port, Path warehouse) {
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
    // RESTCatalogServer reads its backend's catalog properties from CATALOG_* variables ('_' is '.', '__' is '-')
    ManagedProcess process = ManagedProcess.start("the REST catalog", List.of(javaCommand(), "-Xmx512m", "-cp", classpath,
        "org.apache.iceberg.rest.RESTCatalogServer"), Map.of(
        "CATALOG_WAREHOUSE", warehouse.toString(),
        "CATALOG_URI", "jdbc:sqlite:" + dir.resolve("catalog.db"),
        "CATALOG_CLIENTS", "1", // one SQLite connection: commits are serialised by the server, never 'database is locked'
        "CATALOG_JDBC_SCHEMA__VERSION", "V1",
        "CATALOG_REST_PORT", Integer.toString(port)), dir, dir.resolve("server.log"));
    RestCatalogServer server = new RestCatalogServer(process, port, warehouse);
    try {
      process.awaitHealthy(URI.create(server.uri() + "v1/config"), Duration.ofSeconds(120));
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** The java of this JVM, for the servers' own JVMs. */
  static String javaCommand() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Where the {@code test-servers} module put what starts the servers. */
  static Path servers() {
    return Path.of(System.getProperty("kaoping.test.servers", "../test-servers/target"));
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
  public void close() {
    process.close();
  }
}
