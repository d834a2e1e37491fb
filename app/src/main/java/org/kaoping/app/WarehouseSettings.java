package org.kaoping.app;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where local state and the warehouse live and which Spark computes: keys {@code home} and {@code spark.master}, and
 * the pass-through families {@code warehouse.catalog.*} (standard Iceberg catalog properties) and {@code spark.*}.
 *
 * @param catalogProperties Iceberg catalog properties; default: a Hadoop catalog in {@code <home>/warehouse}
 * @param sparkConf         {@code spark.*} settings other than the master
 */
public record WarehouseSettings(Path home, String sparkMaster, Map<String, String> catalogProperties,
    Map<String, String> sparkConf) {
  public static final ConfigArea AREA = new ConfigArea("warehouse");
  public static final ConfigKey<Path> HOME = AREA.add(ConfigKey.path("home", "kaoping-data",
      "Directory for local state: the embedded demo databases and, by default, the warehouse"));
  public static final ConfigKey<String> SPARK_MASTER = AREA.add(ConfigKey.text("spark.master", "local[*]",
      "Spark master: local[*] or a cluster URL"));
  static final String CATALOG_PREFIX = "warehouse.catalog.";
  static final String SPARK_PREFIX = "spark.";

  public WarehouseSettings {
    catalogProperties = Map.copyOf(catalogProperties);
    sparkConf = Map.copyOf(sparkConf);
  }

  /** True for a key of the pass-through families this area reads. */
  static boolean passesThrough(String key) {
    return key.startsWith(CATALOG_PREFIX) || key.startsWith(SPARK_PREFIX) && !key.equals(SPARK_MASTER.name());
  }

  public static WarehouseSettings bind(KaopingConfig config) {
    Path home = config.get(HOME);
    Map<String, String> catalog = new LinkedHashMap<>(config.family(CATALOG_PREFIX));
    if (!catalog.containsKey("type") && !catalog.containsKey("catalog-impl")) {
      catalog.put("type", "hadoop");
    }
    if ("hadoop".equals(catalog.get("type")) && !catalog.containsKey("warehouse")) {
      catalog.put("warehouse", home.resolve("warehouse").toString());
    }
    Map<String, String> spark = new LinkedHashMap<>();
    config.family(SPARK_PREFIX).forEach((k, v) -> {
      if (!(SPARK_PREFIX + k).equals(SPARK_MASTER.name())) {
        spark.put(SPARK_PREFIX + k, v);
      }
    });
    return new WarehouseSettings(home, config.get(SPARK_MASTER), catalog, spark);
  }
}
