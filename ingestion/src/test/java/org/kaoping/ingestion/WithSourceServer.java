package org.kaoping.ingestion;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.kaoping.demo.EmbeddedSourceServer;

/** A capture test class with its own real PostgreSQL (the demo's source schemas, empty) and a directory. */
abstract class WithSourceServer {
  @TempDir static Path dir;
  static EmbeddedSourceServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = EmbeddedSourceServer.start(dir.resolve("pg"));
    server.ensureSourceSchemas();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }
}
