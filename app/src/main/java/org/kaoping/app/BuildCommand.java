package org.kaoping.app;

import java.util.concurrent.Callable;

import org.apache.spark.sql.SparkSession;
import org.kaoping.config.KaopingConfig;
import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WarehouseLock;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.kaoping.config.cli.ConfigOptions;

@Command(name = "build", mixinStandardHelpOptions = true,
    description = {"Rebuild staging and the marts whose inputs changed.",
        "Rebuild staging from the raw layer with Spark, refresh the marts for the periods whose inputs changed"
        + " (everything with --full), check every table, and print a quarter's unit scores and ranks."})
final class BuildCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Option(names = "--full", description = "Recompute every period, not only those whose inputs changed since the last build.")
  boolean full;

  @Option(names = "--quarter", paramLabel = "YYYY-Qn", description = "Quarter to print (default: the latest).")
  String quarter;

  @Override
  public Integer call() throws Exception {
    KaopingConfig config = options.load();
    Pipeline pipeline = new Pipeline(config, System.out::println);
    try (WarehouseLock lock = WarehouseLock.acquire(config.home(), WarehouseLock.Kind.BUILD, "kaoping build");
         WarehouseCatalog warehouse = pipeline.openWarehouse(); SparkSession spark = pipeline.spark()) {
      pipeline.build(spark, warehouse, full);
      pipeline.printRanking(spark, quarter, System.out);
    }
    return 0;
  }
}
