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
 * Adobe's S3Mock, the S3-compatible server Apache Iceberg's own tests use, as a separate JVM (its executable jar,
 * which the {@code test-servers} module copies from Maven Central), storing objects under a local directory.
 * It accepts any credentials; it serves path-style requests only.
 */
final class S3Server implements AutoCloseable {
  private final ManagedProcess process;
  private final int port;

  private S3Server(ManagedProcess process, int port) {
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
    ManagedProcess process = ManagedProcess.start("S3Mock", List.of(RestCatalogServer.javaCommand(), "-Xmx512m", "-jar",
        RestCatalogServer.servers().resolve("s3mock.jar").toString(),
        "--com.adobe.testing.s3mock.http-port=" + port,
        "--server.port=0", // its HTTPS port: any free one
        "--com.adobe.testing.s3mock.domain.root=" + dir.resolve("objects"),
        "--com.adobe.testing.s3mock.domain.initial-buckets=" + bucket), Map.of(), dir, dir.resolve("server.log"));
    S3Server server = new S3Server(process, port);
    try {
      process.awaitHealthy(URI.create(server.endpoint() + "/"), Duration.ofSeconds(300));
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    process.close();
  }
}
