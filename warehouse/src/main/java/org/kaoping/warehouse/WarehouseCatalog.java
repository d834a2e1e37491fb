package org.kaoping.warehouse;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.Schema;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.PositionOutputStream;

/**
 * The Iceberg catalog of the warehouse, built from standard Iceberg catalog properties
 * ({@code type=hadoop|rest|hive|glue|nessie|jdbc}, {@code warehouse}, {@code uri}, …), so moving
 * from the local directory to a production catalog is a configuration change.
 */
public final class WarehouseCatalog implements AutoCloseable {
  /** The catalog's name, also its name inside Spark SQL ({@code kaoping.raw.…}). */
  public static final String NAME = "kaoping";

  /** The warehouse layers, one namespace each. */
  public enum Layer {
    /** Change events as captured, append-only, one table per source table. */
    RAW("raw"),
    /** The latest raw event per key of each raw table, kept up to date from the events appended since (CurrentState). */
    CURRENT("current"),
    /** Current state of each source table, typed and cleaned. */
    STAGING("staging"),
    /** Metrics at a stated grain. */
    MART("mart"),
    /** Operational tables: ingest checkpoints, job runs, rejected records. */
    OPS("ops");

    private final String namespace;

    Layer(String namespace) {
      this.namespace = namespace;
    }

    public Namespace namespace() {
      return Namespace.of(namespace);
    }

    public TableIdentifier table(String name) {
      return TableIdentifier.of(namespace(), name);
    }
  }

  private static final String S3_FILE_IO = "org.apache.iceberg.aws.s3.S3FileIO";

  private final Catalog catalog;
  private final Map<String, String> properties;

  private WarehouseCatalog(Catalog catalog, Map<String, String> properties) {
    this.catalog = catalog;
    this.properties = Map.copyOf(properties);
  }

  /**
   * Opens the catalog and creates the layer namespaces where the catalog has namespaces.
   *
   * @throws CatalogUnavailable naming the catalog property at fault when the catalog is unreachable or refuses the credentials
   * @throws IllegalArgumentException naming the problem when the catalog cannot be opened otherwise
   */
  public static WarehouseCatalog open(Map<String, String> catalogProperties) {
    Catalog catalog;
    try {
      catalog = CatalogUtil.buildIcebergCatalog(NAME, catalogProperties, new Configuration());
    } catch (RuntimeException e) {
      throw failure(catalogProperties, e, "Cannot open the Iceberg catalog " + shown(catalogProperties));
    }
    checkObjectStore(catalogProperties, catalog);
    if (catalog instanceof SupportsNamespaces namespaces) {
      for (Layer layer : Layer.values()) {
        try {
          if (!namespaces.namespaceExists(layer.namespace())) {
            namespaces.createNamespace(layer.namespace());
          }
        } catch (AlreadyExistsException e) {
          // another process created it first
        } catch (RuntimeException e) {
          closeQuietly(catalog);
          throw failure(catalogProperties, e,
              "Cannot create namespace '" + layer.namespace() + "' in the Iceberg catalog " + shown(catalogProperties));
        }
      }
    }
    return new WarehouseCatalog(catalog, catalogProperties);
  }

  /**
   * On a warehouse in an S3 bucket, writes and deletes one small object there with the catalog's FileIO, so a missing
   * bucket, refused or missing credentials or an unreachable endpoint stop the command before anything is captured.
   */
  private static void checkObjectStore(Map<String, String> catalogProperties, Catalog catalog) {
    String location = catalogProperties.get("warehouse");
    if (location == null || !(location.startsWith("s3://") || location.startsWith("s3a://"))) {
      return;
    }
    String probe = location.replaceAll("/+$", "") + "/.kaoping-write-check-" + UUID.randomUUID();
    try (FileIO io = CatalogUtil.loadFileIO(catalogProperties.getOrDefault(CatalogProperties.FILE_IO_IMPL, S3_FILE_IO),
        catalogProperties, new Configuration())) {
      try (PositionOutputStream out = io.newOutputFile(probe).create()) {
        out.write('k');
      }
      io.deleteFile(probe);
    } catch (IOException | RuntimeException e) {
      closeQuietly(catalog);
      throw CatalogUnavailable.explainStorage(catalogProperties, e).<IllegalArgumentException>map(u -> u)
          .orElseGet(() -> new IllegalArgumentException("Cannot write to the warehouse " + location + ": " + RootCause.message(e), e));
    }
  }

  /** Catalog properties as a message or listing may print them: secrets, passwords, credentials and tokens hidden. */
  public static Map<String, String> shown(Map<String, String> catalogProperties) {
    Map<String, String> shown = new java.util.TreeMap<>();
    catalogProperties.forEach((k, v) -> shown.put(k, k.matches(".*(secret|password|credential|token|session).*") ? "***" : v));
    return shown;
  }

  /** The failure to report: one a catalog property explains, else {@code what} and the innermost cause. */
  private static IllegalArgumentException failure(Map<String, String> catalogProperties, RuntimeException e, String what) {
    return CatalogUnavailable.explain(catalogProperties, e).<IllegalArgumentException>map(u -> u)
        .orElseGet(() -> new IllegalArgumentException(what + ": " + RootCause.message(e), e));
  }

  private static void closeQuietly(Catalog catalog) {
    if (catalog instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception ignored) {
        // already failing with the reason that matters
      }
    }
  }

  public Catalog catalog() {
    return catalog;
  }

  /** The properties the catalog was built from (Spark is given the same ones). */
  public Map<String, String> properties() {
    return properties;
  }

  public Table load(TableIdentifier id) {
    return catalog.loadTable(id);
  }

  /** The current snapshot id of a table ({@code namespace.name}); null when it does not exist or has none. */
  public Long currentSnapshotId(String table) {
    TableIdentifier id = TableIdentifier.parse(table);
    if (!catalog.tableExists(id)) {
      return null;
    }
    org.apache.iceberg.Snapshot current = catalog.loadTable(id).currentSnapshot();
    return current == null ? null : current.snapshotId();
  }

  /**
   * Loads a table, creating it with {@code schema} if it does not exist yet. A table whose creation
   * was killed before its first version was committed held nothing, and is created afresh.
   */
  public Table loadOrCreate(TableIdentifier id, Schema schema, Map<String, String> tableProperties) {
    if (catalog.tableExists(id)) {
      return catalog.loadTable(id);
    }
    try {
      return catalog.createTable(id, schema, PartitionSpec.unpartitioned(), tableProperties);
    } catch (AlreadyExistsException e) {
      if (catalog.tableExists(id)) {
        return catalog.loadTable(id); // another process created it first
      }
      catalog.dropTable(id, false); // only leftovers of an interrupted creation: no version was ever committed
      return catalog.createTable(id, schema, PartitionSpec.unpartitioned(), tableProperties);
    }
  }

  /** The tables of a layer that have a committed version (not the leftovers of a creation killed midway). */
  public List<TableIdentifier> tables(Layer layer) {
    return catalog.listTables(layer.namespace()).stream().filter(catalog::tableExists).toList();
  }

  @Override
  public void close() throws Exception {
    if (catalog instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }
}
