package org.kaoping.config;

import java.util.List;

/**
 * How a source's existing rows are read at its first capture ({@code ingest.*}): the parallel initial load and its
 * readers and chunk size, or Debezium's own snapshot. The capture (app) turns these into ingestion's
 * {@code InitialLoad.Options}; this module does not depend on ingestion, so that the Spark application's jar does not
 * carry Debezium.
 *
 * @param parallel  true: the parallel initial load; false: Debezium's snapshot
 * @param workers   readers at once in the parallel load
 * @param chunkRows rows per chunk of the parallel load, about
 */
public record IngestSettings(boolean parallel, int workers, int chunkRows) {
  /** Two readers per core (ingestion's {@code InitialLoad.Options.DEFAULT} says the same for direct API callers). */
  public static final int LOAD_WORKERS_DEFAULT = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());
  public static final int LOAD_CHUNK_ROWS_DEFAULT = 100_000;

  public static final ConfigArea AREA = new ConfigArea("ingest");
  public static final ConfigKey<String> INITIAL_LOAD = AREA.add(ConfigKey.text("ingest.initial-load", "parallel",
      "How a source's existing rows are read at its first capture: parallel (chunks read at once from the slot's"
          + " exported snapshot) or debezium (Debezium's own snapshot)")
      .check(mode -> List.of("parallel", "debezium").contains(mode), "must be parallel or debezium"));
  public static final ConfigKey<Integer> LOAD_WORKERS = AREA.add(ConfigKey.integer("ingest.load-workers",
      LOAD_WORKERS_DEFAULT,
      "Connections per source reading chunks at once in the parallel initial load; default: two per core")
      .check(n -> n >= 1, "must be 1 or more"));
  public static final ConfigKey<Integer> LOAD_CHUNK_ROWS = AREA.add(ConfigKey.integer("ingest.load-chunk-rows",
      LOAD_CHUNK_ROWS_DEFAULT,
      "Rows per chunk of the parallel initial load, about (a killed load resumes chunk by chunk)")
      .check(n -> n >= 1, "must be 1 or more"));

  public static IngestSettings bind(KaopingConfig config) {
    return new IngestSettings(!config.get(INITIAL_LOAD).equals("debezium"), config.get(LOAD_WORKERS),
        config.get(LOAD_CHUNK_ROWS));
  }
}
