package org.kaoping.app;

import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Adobe's S3Mock, the S3-compatible server Apache Iceberg's own tests use, as a separate JVM (its executable jar,
 * which the {@code test-servers} module copies from Maven Central), storing objects under a local directory.
 * It accepts any credentials; it serves path-style requests only.
 */
final class S3Server implements AutoCloseable {
  private final Process process;
  private final int port;

  private S3Server(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts the server with {@code bucket} already created, and waits until it lists its buckets. */
  static S3Server start(Path dir, String bucket) throws Exception {
    Files.createDirectories(dir);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = dir.resolve("server.log");
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-jar", RestCatalogServer.servers().resolve("s3mock.jar").toString(),
        "--com.adobe.testing.s3mock.http-port=" + port,
        "--server.port=0", // its HTTPS port: any free one
        "--com.adobe.testing.s3mock.domain.root=" + dir.resolve("objects"),
        "--com.adobe.testing.s3mock.domain.initial-buckets=" + bucket)
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    S3Server server = new S3Server(builder.start(), port);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      ChildKaoping.await("S3Mock on port " + port + " (see " + log + ")", 300,
          () -> server.process.isAlive() && RestCatalogServer.answers(http, server.endpoint() + "/"));
    } catch (AssertionError | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
