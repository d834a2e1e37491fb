package org.kaoping.app;

import java.util.concurrent.Callable;

import org.apache.spark.sql.SparkSession;
import org.kaoping.warehouse.WarehouseCatalog;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "build", mixinStandardHelpOptions = true,
    description = "Rebuild staging and marts from the raw layer with Spark, check them, and print a quarter's unit ranking.")
final class BuildCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Option(names = "--quarter", paramLabel = "YYYY-Qn", description = "Quarter to print (default: the latest).")
  String quarter;

  @Override
  public Integer call() throws Exception {
    KaopingConfig config = options.load();
    Pipeline pipeline = new Pipeline(config, System.out::println);
    try (WarehouseCatalog warehouse = pipeline.openWarehouse(); SparkSession spark = pipeline.spark()) {
      pipeline.build(spark, warehouse);
      pipeline.printRanking(spark, quarter, System.out);
    }
    return 0;
  }
}
