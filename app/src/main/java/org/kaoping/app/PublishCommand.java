package org.kaoping.app;

import java.util.concurrent.Callable;

import org.apache.spark.sql.SparkSession;
import org.kaoping.config.KaopingConfig;
import org.kaoping.delivery.serving.ServingPublisher;
import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WarehouseLock;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.kaoping.config.cli.ConfigOptions;

@Command(name = "publish", mixinStandardHelpOptions = true,
    description = {"Publish the latest build's marts to the serving database.",
        "Publish the latest build's marts and operational tables to the serving PostgreSQL database",
        "(serving.jdbc-url; default: database 'serving' of the embedded serving server in <home>/serving-db).",
        "Only the periods whose content changed are rewritten (everything with --full); readers switch to the new",
        "publication at once, in one transaction. Publishing the same build again changes nothing."})
final class PublishCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Option(names = "--full", description = "Rewrite every period, not only those whose content changed.")
  boolean full;

  @Override
  public Integer call() throws Exception {
    KaopingConfig config = options.load();
    Pipeline pipeline = new Pipeline(config, System.out::println);
    // the build lock: a publication never reads marts a build is rewriting
    try (WarehouseLock lock = WarehouseLock.acquire(config.home(), WarehouseLock.Kind.BUILD, "kaoping publish")) {
      if (config.servingJdbcUrl() != null) {
        publish(config, pipeline, Serving.configured(config));
      } else {
        try (EmbeddedServing serving = EmbeddedServing.start(config)) {
          publish(config, pipeline, serving.target());
        }
      }
    }
    return 0;
  }

  private void publish(KaopingConfig config, Pipeline pipeline, ServingPublisher.Target target) throws Exception {
    ServingPublisher.connect(target).close(); // fail on a refusing database before starting Spark
    try (WarehouseCatalog warehouse = pipeline.openWarehouse(); SparkSession spark = pipeline.spark()) {
      pipeline.publish(spark, warehouse, target, full);
    }
    System.out.println(Serving.howToConnect(target));
  }
}
