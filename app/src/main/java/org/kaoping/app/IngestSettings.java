package org.kaoping.app;

import java.util.List;

import org.kaoping.ingestion.InitialLoad;

/**
 * How a source's existing rows are read at its first capture ({@code ingest.*}): the parallel initial load and its
 * readers and chunk size, or Debezium's own snapshot.
 *
 * @param initialLoad the parallel load's settings; null: Debezium's snapshot
 */
public record IngestSettings(InitialLoad.Options initialLoad) {
  public static final ConfigArea AREA = new ConfigArea("ingest");
  public static final ConfigKey<String> INITIAL_LOAD = AREA.add(ConfigKey.text("ingest.initial-load", "parallel",
      "How a source's existing rows are read at its first capture: parallel (chunks read at once from the slot's"
          + " exported snapshot) or debezium (Debezium's own snapshot)")
      .check(mode -> List.of("parallel", "debezium").contains(mode), "must be parallel or debezium"));
  public static final ConfigKey<Integer> LOAD_WORKERS = AREA.add(ConfigKey.integer("ingest.load-workers",
      InitialLoad.Options.DEFAULT.workers(),
      "Connections per source reading chunks at once in the parallel initial load; default: two per core")
      .check(n -> n >= 1, "must be 1 or more"));
  public static final ConfigKey<Integer> LOAD_CHUNK_ROWS = AREA.add(ConfigKey.integer("ingest.load-chunk-rows",
      InitialLoad.Options.DEFAULT.chunkRows(),
      "Rows per chunk of the parallel initial load, about (a killed load resumes chunk by chunk)")
      .check(n -> n >= 1, "must be 1 or more"));

  public static IngestSettings bind(KaopingConfig config) {
    return new IngestSettings(config.get(INITIAL_LOAD).equals("debezium") ? null
        : new InitialLoad.Options(config.get(LOAD_WORKERS), config.get(LOAD_CHUNK_ROWS)));
  }
}
