package org.kaoping.ingestion;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;
import org.kaoping.warehouse.IngestCheckpoints.Checkpoint;

/**
 * The engine's offset store, seeded from the warehouse's latest ingest checkpoint.
 *
 * <p>The engine instantiates it by class name, so the capture runner hands it the checkpoint
 * through a registry keyed by {@link #REGISTRY_KEY}. What the engine writes here afterwards is
 * kept in memory only: the durable offset is the one committed with the data in Iceberg.
 */
public final class WarehouseOffsetStore extends MemoryOffsetBackingStore {
  /** Engine property carrying the registry key of the checkpoint to start from. */
  static final String REGISTRY_KEY = "kaoping.offset-store.key";

  private static final Map<String, Checkpoint> STARTING_POINTS = new ConcurrentHashMap<>();

  static void register(String key, Checkpoint checkpoint) {
    if (checkpoint != null) {
      STARTING_POINTS.put(key, checkpoint);
    }
  }

  static void unregister(String key) {
    STARTING_POINTS.remove(key);
  }

  @Override
  public void configure(WorkerConfig config) {
    super.configure(config);
    Object key = config.originals().get(REGISTRY_KEY);
    Checkpoint start = key == null ? null : STARTING_POINTS.get(key.toString());
    if (start != null) {
      data.put(OffsetCodec.bytes(start.offsetKeyJson()), OffsetCodec.bytes(start.offsetValueJson()));
    }
  }

  @Override
  public Set<Map<String, Object>> connectorPartitions(String connectorName) {
    return Set.of();
  }
}
