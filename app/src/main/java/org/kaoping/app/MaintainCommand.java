package org.kaoping.app;

import java.util.concurrent.Callable;

import org.apache.spark.sql.SparkSession;
import org.kaoping.config.KaopingConfig;
import org.kaoping.jobs.WarehouseMaintenance.TableResult;
import org.kaoping.jobs.WarehouseMaintenance;
import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WarehouseLock;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import org.kaoping.config.cli.ConfigOptions;

@Command(name = "maintain", mixinStandardHelpOptions = true,
    description = {"Expire old snapshots, compact and delete unreferenced files.",
        "Table maintenance: the step to schedule (weekly, say). For every table:",
        " 1. release the tags of builds older than the latest maintain.keep-builds;",
        " 2. expire snapshots superseded more than maintain.snapshot-retention-hours",
        "    ago, except the newest maintain.keep-snapshots and every tagged one",
        "    (the snapshots a kept build read and wrote);",
        " 3. compact the small files each ingest batch and build writes;",
        " 4. delete files no snapshot references (abandoned or rolled-back batches)",
        "    once older than maintain.orphan-min-age-hours (default "
            + WarehouseMaintenance.Policy.ORPHAN_MIN_AGE_HOURS_DEFAULT + ": a writer may",
        "    be about to commit a younger file).",
        "It holds the ingest and build locks: it is refused while an ingest or a",
        "build runs, and they are refused while it runs. Readers are not disturbed,",
        "committed ingest offsets are kept, and a raw table holding an interrupted",
        "ingest batch is left for the next ingest to roll back. Safe to run at any",
        "time and repeatedly; exits non-zero if a table could not be maintained."})
final class MaintainCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Override
  public Integer call() throws Exception {
    KaopingConfig config = options.load();
    Pipeline pipeline = new Pipeline(config, System.out::println);
    WarehouseMaintenance.Result result;
    try (WarehouseLock ingest = WarehouseLock.acquire(config.home(), WarehouseLock.Kind.INGEST, "kaoping maintain");
         WarehouseLock build = WarehouseLock.acquire(config.home(), WarehouseLock.Kind.BUILD, "kaoping maintain");
         WarehouseCatalog warehouse = pipeline.openWarehouse(); SparkSession spark = pipeline.spark()) {
      result = new WarehouseMaintenance(spark, warehouse, config.maintenancePolicy()).run(System.out::println);
    }
    printSummary(result);
    return result.failed() ? 1 : 0;
  }

  private static void printSummary(WarehouseMaintenance.Result result) {
    int before = 0;
    int after = 0;
    int expired = 0;
    long expiredBytes = 0;
    int released = 0;
    int orphans = 0;
    long bytes = 0;
    System.out.println();
    System.out.println(Table.pad("table", 40) + Table.padLeft("files before", 13) + Table.padLeft("after", 7)
        + Table.padLeft("snapshots expired", 19) + Table.padLeft("orphans removed", 17) + Table.padLeft("bytes", 12));
    for (TableResult r : result.tables()) {
      before += r.filesBefore();
      after += r.filesAfter();
      expired += r.snapshotsExpired();
      expiredBytes += r.expiredBytes();
      released += r.tagsReleased();
      orphans += r.orphanFiles();
      bytes += r.orphanBytes();
      System.out.println(Table.pad(r.table(), 40) + Table.padLeft(Integer.toString(r.filesBefore()), 13)
          + Table.padLeft(Integer.toString(r.filesAfter()), 7) + Table.padLeft(Integer.toString(r.snapshotsExpired()), 19)
          + Table.padLeft(Integer.toString(r.orphanFiles()), 17) + Table.padLeft(Long.toString(r.orphanBytes()), 12)
          + (r.note() == null ? "" : "  " + r.note()));
    }
    System.out.println("Maintained " + result.tables().size() + " tables: data files " + before + " -> " + after + ", "
        + expired + " snapshot(s) expired (" + expiredBytes + " bytes freed), " + released + " build tag(s) released, " + orphans
        + " orphan file(s) removed (" + bytes + " bytes)" + (result.failed() ? "; SOME TABLES FAILED (see above)." : "."));
  }
}
