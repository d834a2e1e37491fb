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
 * S3Proxy, an S3-compatible server that checks credentials (every request's AWS signature, V2 or V4, against its one
 * access key and secret; S3Mock accepts any), as a separate JVM (its executable jar, which the {@code test-servers}
 * module copies from Maven Central), storing objects in a local directory through jclouds' filesystem provider.
 */
final class S3ProxyServer implements AutoCloseable {
  private final ManagedProcess process;
  private final int port;

  private S3ProxyServer(ManagedProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts the server with {@code bucket} already created, accepting only {@code accessKey} and {@code secret}. */
  static S3ProxyServer start(Path dir, String bucket, String accessKey, String secret) throws Exception {
    Files.createDirectories(dir.resolve("objects").resolve(bucket)); // a directory of the basedir is a bucket
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path properties = dir.resolve("s3proxy.properties");
    Files.writeString(properties, String.join("\n",
        "s3proxy.endpoint=http://127.0.0.1:" + port,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + accessKey,
        "s3proxy.credential=" + secret,
        "jclouds.provider=filesystem",
        "jclouds.filesystem.basedir=" + dir.resolve("objects")) + "\n");
    ManagedProcess process = ManagedProcess.start("S3Proxy", List.of(RestCatalogServer.javaCommand(), "-Xmx256m", "-jar",
        RestCatalogServer.servers().resolve("s3proxy.jar").toString(), "--properties", properties.toString()),
        Map.of(), dir, dir.resolve("server.log"));
    S3ProxyServer server = new S3ProxyServer(process, port);
    try {
      process.awaitHealthy(URI.create(server.endpoint() + "/healthz"), Duration.ofSeconds(120));
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
