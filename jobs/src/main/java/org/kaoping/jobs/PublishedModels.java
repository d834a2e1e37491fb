package org.kaoping.jobs;

import java.util.List;

/**
 * The models of what the serving database publishes: every mart a build writes, and the operational tables readers
 * see. Each declares its grain, key and column formulas in its header, as the marts do ({@code ops/*.sql}).
 */
public final class PublishedModels {
  /** {@code ops.build_run} as readers see it. */
  public static final SqlModel BUILD_RUN = SqlModel.load("ops/build_run.sql");
  /** How far behind each captured source the warehouse is, from {@code ops.ingest_checkpoint} and the raw tables. */
  public static final SqlModel INGESTION_LAG = SqlModel.load("ops/ingestion_lag.sql");
  /** The latest {@code kaoping reconcile} result of each source table. */
  public static final SqlModel RECONCILIATION = SqlModel.load("ops/reconciliation.sql");

  private PublishedModels() {}

  /** Every mart a build writes, with its model, in build order. */
  public static List<SqlModel> marts() {
    return ModelCatalog.standard().marts();
  }
}
