package org.kaoping.app;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.kaoping.config.KaopingConfig;
import org.kaoping.delivery.serving.ServingPublisher;
import org.kaoping.ingestion.CaptureRunner;
import org.kaoping.jobs.WarehouseBuild;
import org.kaoping.warehouse.WarehouseCatalog;

/** The pipeline's steps as the commands run them: capture every source, then build the warehouse. */
public final class Pipeline {
  private final KaopingConfig config;
  private final Consumer<String> progress;
  private volatile List<CaptureRunner> captures = List.of();
  private volatile boolean stopped;

  public Pipeline(KaopingConfig config, Consumer<String> progress) {
    this.config = config;
    this.progress = progress;
  }

  /** Opens the warehouse, first checking that a local warehouse directory is writable. */
  public WarehouseCatalog openWarehouse() {
    return config.warehouse().openWarehouse();
  }

  /**
   * Captures every configured source at once, one engine each, until {@code mode}'s end; {@code port}
   * replaces the configured one (demo). A failing source stops the others and fails the run.
   */
  public List<CaptureRunner.Result> ingest(WarehouseCatalog warehouse, String host, Integer port, CaptureRunner.Mode mode)
      throws InterruptedException {
    List<CaptureRunner> runners = new ArrayList<>();
    for (String name : config.sourceNames()) {
      runners.add(new CaptureRunner(warehouse, CaptureSettings.source(config, name, host, port), CaptureSettings.initialLoad(config)));
    }
    captures = runners;
    if (stopped) {
      return List.of();
    }
    ExecutorService pool = Executors.newFixedThreadPool(runners.size());
    try {
      List<Future<CaptureRunner.Result>> running = new ArrayList<>();
      for (CaptureRunner runner : runners) {
        running.add(pool.submit(() -> runner.run(mode, progress)));
      }
      List<CaptureRunner.Result> results = new ArrayList<>();
      RuntimeException failure = null;
      for (Future<CaptureRunner.Result> f : running) {
        try {
          results.add(f.get());
        } catch (ExecutionException e) {
          if (failure == null) {
            failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            runners.forEach(CaptureRunner::requestStop); // one failed source fails the run: stop the others cleanly
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
      results.forEach(r -> progress.accept(r.summary()));
      return results;
    } finally {
      pool.shutdownNow();
      captures = List.of();
    }
  }

  /** Stops capturing cleanly: the batch in hand is committed or dropped whole. */
  void stop() {
    stopped = true;
    captures.forEach(CaptureRunner::requestStop);
  }

  /** The Spark session on the configured master; a standalone master that does not answer stops the command first. */
  public SparkSession spark() {
    return config.warehouse().sparkSession();
  }

  public WarehouseBuild.Result build(SparkSession spark, WarehouseCatalog warehouse, boolean full) {
    return new WarehouseBuild(spark, warehouse, config.metricSettings(), config.calendar(), config.scoringScheme(),
        config.columnMaps()).run(progress, full);
  }

  /** Publishes the latest build to the serving database (see {@link ServingPublisher}). */
  public ServingPublisher.Result publish(SparkSession spark, WarehouseCatalog warehouse, ServingPublisher.Target target, boolean full) {
    return new ServingPublisher(spark, warehouse, config.scoringScheme(), target, progress).publish(full);
  }

  /** Prints the units' composite scores and ranks (within peer groups) for the latest quarter, or {@code quarter}. */
  void printRanking(SparkSession spark, String quarter, java.io.PrintStream out) {
    String q = quarter != null ? quarter
        : spark.sql("SELECT max(period) FROM mart.unit_score_by_period WHERE period_type = 'QUARTER'").first().getString(0);
    if (q == null) {
      out.println("No quarter has data yet: capture the sources and build first.");
      return;
    }
    List<Row> rows = spark.sql("SELECT s.peer_group, s.rank_in_group, s.unit_name, s.score, s.grade, m.workload_ratio,"
        + " m.fill_rate, m.review_rate, s.is_complete FROM mart.unit_score_by_period s"
        + " JOIN mart.metrics_by_period m ON m.level = 'UNIT' AND m.entity_id = s.unit_id AND m.period_type = s.period_type"
        + " AND m.period = s.period WHERE s.period_type = 'QUARTER' AND s.period = '" + q.replace("'", "") + "'"
        + " ORDER BY s.peer_group, s.rank_in_group NULLS LAST, s.unit_name").collectAsList();
    boolean complete = rows.stream().allMatch(r -> r.getBoolean(8));
    out.println();
    out.println("Units " + q + ", ranked within their peer group"
        + (complete ? "" : " (provisional: the quarter is not over or still in its filing grace)"));
    out.println(Table.pad("peer group", 18) + Table.pad("rank", 5) + Table.pad("unit", 24) + Table.padLeft("score", 7)
        + Table.pad("  grade", 11) + Table.padLeft("workload", 10) + Table.padLeft("fill", 8) + Table.padLeft("review", 9));
    for (Row r : rows) {
      out.println(Table.pad(r.getString(0), 18) + Table.pad(r.isNullAt(1) ? "-" : Integer.toString(r.getInt(1)), 5)
          + Table.pad(r.getString(2), 24) + Table.padLeft(r.isNullAt(3) ? "-" : r.getDecimal(3).toPlainString(), 7)
          + Table.pad("  " + (r.isNullAt(4) ? "-" : r.getString(4)), 11) + Table.padLeft(Table.percent(r, 5), 10)
          + Table.padLeft(Table.percent(r, 6), 8) + Table.padLeft(Table.percent(r, 7), 9));
    }
  }
}
