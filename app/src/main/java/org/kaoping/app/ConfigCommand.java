package org.kaoping.app;

import java.util.concurrent.Callable;

import org.kaoping.config.ConfigKey;
import org.kaoping.config.KaopingConfig;
import org.kaoping.warehouse.WarehouseCatalog;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import org.kaoping.config.cli.ConfigOptions;

@Command(name = "config", mixinStandardHelpOptions = true,
    description = {"List the configuration keys and the values in effect.",
        "Every key with its default and the value in effect (secrets masked)."})
final class ConfigCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Override
  public Integer call() {
    KaopingConfig config = options.load();
    for (ConfigKey<?> k : KaopingConfig.keys()) {
      String inEffect = config.text(k);
      System.out.printf("%-34s %s%n%-34s   %s%s; default: %s; in effect: %s%n", k.name(), k.description(), "",
          k.typeLabel(), k.env() == null ? "" : ", env " + k.env(), k.defaultText() == null ? "(none)" : k.defaultText(),
          inEffect == null || inEffect.isBlank() ? "(none)" : k.isSecret() ? "(set, hidden)" : inEffect);
    }
    System.out.println("source.<name>.host|port|database|user|password|schemas   connection of each source"
        + " (defaults 127.0.0.1, 5432, the source's name, postgres, empty, public)");
    System.out.println("source.<name>.debezium.*           extra Debezium PostgreSQL connector properties");
    System.out.printf("%s%n%-34s   %s; in effect: %s%n", KaopingConfig.COLUMN_MAP_KEY, "",
        KaopingConfig.COLUMN_MAP_DESCRIPTION, config.columnMaps().isEmpty() ? "(none)" : config.columnMaps());
    System.out.println("warehouse.catalog.*                Iceberg catalog properties; in effect: "
        + WarehouseCatalog.shown(config.catalogProperties()));
    System.out.println("spark.*                            Spark settings (spark.master: " + config.sparkMaster() + ")");
    return 0;
  }
}
