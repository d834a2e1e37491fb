package org.kaoping.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.spark.sql.SparkSession;
import org.kaoping.jobs.SparkSessions;
import org.kaoping.warehouse.CatalogUnavailable;
import org.kaoping.warehouse.WarehouseCatalog;

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
  public static final String CATALOG_PREFIX = "warehouse.catalog.";
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

  /**
   * Opens the warehouse's catalog, first checking that a local warehouse directory is writable.
   *
   * @throws KaopingConfig.ConfigException naming the key when the directory is not writable or the catalog refuses
   */
  public WarehouseCatalog openWarehouse() {
    String location = catalogProperties.get("warehouse");
    if ("hadoop".equals(catalogProperties.get("type")) && location != null && isLocal(location)) {
      Path dir = Path.of(location.startsWith("file:") ? URI.create(location).getPath() : location);
      try {
        Files.createDirectories(dir);
        Path probe = Files.createTempFile(dir, ".write-check", "");
        Files.delete(probe);
      } catch (IOException | SecurityException e) {
        throw new KaopingConfig.ConfigException("Cannot write the warehouse directory " + dir
            + " (warehouse.catalog.warehouse): " + e + ". Choose a writable directory or fix its permissions.");
      }
    }
    try {
      return WarehouseCatalog.open(catalogProperties);
    } catch (CatalogUnavailable e) {
      throw new KaopingConfig.ConfigException(e.sentence(CATALOG_PREFIX + e.property()));
    }
  }

  private static boolean isLocal(String location) {
    return !location.contains("://") || location.startsWith("file:");
  }

  /**
   * The Spark session on {@link #sparkMaster()} with the warehouse as its default catalog.
   *
   * @throws KaopingConfig.ConfigException naming {@code spark.master} when a standalone master does not answer
   */
  public SparkSession sparkSession() {
    return sparkSession(catalogProperties);
  }

  /** As {@link #sparkSession()}, with these catalog properties instead (e.g. the service's, without the table cache). */
  public SparkSession sparkSession(Map<String, String> catalog) {
    checkStandaloneMaster(sparkMaster);
    return SparkSessions.create(sparkMaster, catalog, sparkConf);
  }

  /**
   * Spark's standalone client retries an unreachable master for a minute and then fails the first job with a message
   * that names no setting: one connection attempt per listed master (spark://h1:p1,h2:p2) says it at once.
   */
  private static void checkStandaloneMaster(String master) {
    if (!master.startsWith("spark://")) {
      return;
    }
    String failures = "";
    for (String hostPort : master.substring("spark://".length()).split(",")) {
      URI address = URI.create("spark://" + hostPort);
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(address.getHost(), address.getPort() < 0 ? 7077 : address.getPort()), 5000);
        return; // one live master is enough: the others are standbys
      } catch (IOException | IllegalArgumentException e) {
        failures += (failures.isEmpty() ? "" : "; ") + hostPort + ": " + e.getMessage();
      }
    }
    throw new KaopingConfig.ConfigException("Cannot reach the Spark master " + master + " (" + failures
        + "): start it, or set '" + SPARK_MASTER.name() + "' to its URL (local[*] computes in this process).");
  }
}
