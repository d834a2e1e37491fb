package org.kaoping.app;

import org.kaoping.config.IngestSettings;
import org.kaoping.config.KaopingConfig;
import org.kaoping.config.SourceSettings;
import org.kaoping.ingestion.InitialLoad;
import org.kaoping.ingestion.SourceConnection;

/** The capture's settings in ingestion's types (the configuration module does not depend on ingestion). */
public final class CaptureSettings {
  private CaptureSettings() {}

  /** The connection to source {@code name}, with {@code host/port} replaced when given (embedded demo). */
  public static SourceConnection source(KaopingConfig config, String name, String hostOverride, Integer portOverride) {
    SourceSettings.Source s = config.source(name, hostOverride, portOverride);
    return new SourceConnection(s.name(), s.host(), s.port(), s.database(), s.user(), s.password(), s.schemas(),
        s.debezium());
  }

  /** How sources' existing rows are read at their first capture: the parallel load's settings, or null for Debezium's snapshot. */
  public static InitialLoad.Options initialLoad(KaopingConfig config) {
    IngestSettings ingest = config.ingest();
    return ingest.parallel() ? new InitialLoad.Options(ingest.workers(), ingest.chunkRows()) : null;
  }
}
