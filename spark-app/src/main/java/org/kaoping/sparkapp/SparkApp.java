package org.kaoping.sparkapp;

import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.spark.sql.SparkSession;
import org.kaoping.config.KaopingConfig;
import org.kaoping.config.KaopingConfig.ConfigException;
import org.kaoping.config.WarehouseSettings;
import org.kaoping.config.cli.ConfigOptions;
import org.kaoping.config.cli.KnownFailures;
import org.kaoping.delivery.serving.ServingPublisher;
import org.kaoping.jobs.WarehouseBuild;
import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WarehouseLock;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Kaoping's build and publish as a Spark application, the main class of the jar {@code spark-submit} takes:
 * {@code spark-submit --master spark://… --class org.kaoping.sparkapp.SparkApp kaoping-spark-app.jar build}. The
 * configuration is Kaoping's ({@code --config FILE}, {@code --set KEY=VALUE}); the master and any {@code --conf}
 * come from {@code spark-submit}, whose {@code --master} wins over the file's {@code spark.master}.
 */
@Command(name = "kaoping-spark-app", mixinStandardHelpOptions = true,
    description = {"Kaoping's build and publish, run by spark-submit against the master it is given."},
    subcommands = {SparkApp.Build.class, SparkApp.Publish.class})
public final class SparkApp {
  public static void main(String[] args) {
    int exit = commandLine().execute(args);
    if (exit != 0) {
      System.exit(exit); // 0: return, so that spark-submit stops the session its own way
    }
  }

  /** spark-submit's --master, which wins over the configuration file's spark.master (--set still wins over both). */
  static Map<String, String> submittedMaster() {
    String submitted = System.getProperty("spark.master");
    return submitted == null ? Map.of() : Map.of(WarehouseSettings.SPARK_MASTER.name(), submitted);
  }

  /** The command line with the kaoping command's error handling: known failures print one sentence (exit 2). */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new SparkApp());
    cli.setExecutionExceptionHandler(KnownFailures.handler("kaoping", true)); // a cluster keeps only the driver's log
    return cli;
  }

  @Command(name = "build", mixinStandardHelpOptions = true,
      description = "Rebuild staging and the marts whose inputs changed (every period with --full).")
  static final class Build implements Callable<Integer> {
    @CommandLine.Mixin ConfigOptions options;

    @Option(names = "--full", description = "Recompute every period, not only those whose inputs changed.")
    boolean full;

    @Override
    public Integer call() throws Exception {
      KaopingConfig config = options.load(submittedMaster());
      try (WarehouseLock lock = WarehouseLock.acquire(config.home(), WarehouseLock.Kind.BUILD, "kaoping-spark-app build");
           WarehouseCatalog warehouse = config.warehouse().openWarehouse();
           SparkSession spark = config.warehouse().sparkSession()) {
        new WarehouseBuild(spark, warehouse, config.metricSettings(), config.calendar(), config.scoringScheme(),
            config.columnMaps()).run(System.out::println, full);
      }
      return 0;
    }
  }

  @Command(name = "publish", mixinStandardHelpOptions = true,
      description = "Publish the latest build's marts to the serving database of serving.jdbc-url (everything with --full).")
  static final class Publish implements Callable<Integer> {
    @CommandLine.Mixin ConfigOptions options;

    @Option(names = "--full", description = "Rewrite every period, not only those whose content changed.")
    boolean full;

    @Override
    public Integer call() throws Exception {
      KaopingConfig config = options.load(submittedMaster());
      ServingPublisher.Target target = config.serving().target();
      if (target == null) {
        throw new ConfigException("Configuration key 'serving.jdbc-url' is not set: the Spark application publishes only to"
            + " a configured serving database (the embedded one is the kaoping command's). Set it to a PostgreSQL JDBC URL.");
      }
      try (WarehouseLock lock = WarehouseLock.acquire(config.home(), WarehouseLock.Kind.BUILD, "kaoping-spark-app publish")) {
        ServingPublisher.connect(target).close(); // fail on a refusing database before starting Spark
        try (WarehouseCatalog warehouse = config.warehouse().openWarehouse();
             SparkSession spark = config.warehouse().sparkSession()) {
          new ServingPublisher(spark, warehouse, config.scoringScheme(), target, System.out::println).publish(full);
        }
      }
      return 0;
    }
  }
}
