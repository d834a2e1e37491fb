package org.kaoping.app;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.kaoping.demo.EmbeddedSourceServer;

/** A test class with its own real PostgreSQL source systems (empty schemas) and a home directory. */
abstract class WithEmbeddedSources {
  @TempDir static Path dir;
  static EmbeddedSourceServer server;

  @BeforeAll
  static void startSources() throws Exception {
    server = EmbeddedSourceServer.start(dir.resolve("sources"));
    server.ensureSourceSchemas();
  }

  @AfterAll
  static void stopSources() {
    server.close();
  }
}
