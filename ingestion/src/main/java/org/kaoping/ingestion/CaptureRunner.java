package org.kaoping.ingestion;

import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.apache.kafka.connect.source.SourceRecord;
import org.kaoping.warehouse.IngestCheckpoints;
import org.kaoping.warehouse.IngestCheckpoints.Checkpoint;
import org.kaoping.warehouse.RootCause;
import org.kaoping.warehouse.WarehouseCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;

/**
 * Captures one PostgreSQL source into the raw layer with the Debezium embedded engine,
 * exactly once: each batch and the offset it ends at are committed to Iceberg before the engine
 * acknowledges it, and a run starts from the offset read back from the warehouse.
 */
public final class CaptureRunner {
  private static final Logger LOG = LoggerFactory.getLogger(CaptureRunner.class);

  /** What a capture run did. */
  public record Result(String source, long events, long batches, Checkpoint lastCheckpoint, boolean resumed) {}

  private final WarehouseCatalog warehouse;
  private final SourceConnection source;
  private volatile boolean stopRequested;

  public CaptureRunner(WarehouseCatalog warehouse, SourceConnection source) {
    this.warehouse = warehouse;
    this.source = source;
  }

  /** Asks a running capture to stop after the batch in hand: a clean stop, nothing lost or duplicated. */
  public void requestStop() {
    stopRequested = true;
  }

  /**
   * Runs until the source has been quiet for {@code idle} (the snapshot, if any, finished and
   * streaming drained the backlog), or until {@link #requestStop} is called.
   *
   * @param progress receives a line every few seconds
   * @throws IllegalStateException with the reason when the source or the engine fails
   */
  public Result runUntilIdle(Duration idle, Consumer<String> progress) throws InterruptedException {
    source.verify();
    IngestCheckpoints checkpoints = IngestCheckpoints.open(warehouse);
    Checkpoint start = checkpoints.latest(source.name()).orElse(null);
    int removed = IngestRecovery.rollBackUncheckpointed(warehouse, source.name(), start);
    if (removed > 0) {
      progress.accept(source.name() + ": rolled back " + removed + " file(s) of an interrupted batch");
    }
    progress.accept(start == null
        ? source.name() + ": no checkpoint in the warehouse, starting with a snapshot"
        : source.name() + ": resuming after batch " + start.batchSeq() + " (event " + start.lastEventSeq() + ")");

    NewTableSnapshots newTables = NewTableSnapshots.detect(warehouse, source, start, progress);
    String engineName = "kaoping-" + source.name();
    String registryKey = UUID.randomUUID().toString();
    WarehouseOffsetStore.register(registryKey, start);
    RawBatch batch = new RawBatch(warehouse, checkpoints, source.name(), start);
    ChangeHandler handler = new ChangeHandler(batch, new OffsetCodec(engineName), start);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicReference<String> failureMessage = new AtomicReference<>();

    Properties props = source.connectorProperties();
    props.setProperty("name", engineName);
    props.setProperty("offset.storage", WarehouseOffsetStore.class.getName());
    props.setProperty(WarehouseOffsetStore.REGISTRY_KEY, registryKey);
    props.setProperty("offset.flush.interval.ms", "0");
    props.setProperty("offset.flush.timeout.ms", "60000");
    newTables.configure(props);

    long startedBatch = batch.batchSeq();
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "capture-" + source.name()));
    DebeziumEngine<RecordChangeEvent<SourceRecord>> engine = DebeziumEngine
        .create(ChangeEventFormat.of(Connect.class))
        .using(props)
        .notifying(handler)
        .using((success, message, error) -> {
          if (!success) {
            failureMessage.set(message);
            failure.set(error == null ? new IllegalStateException(message) : error);
          }
        })
        .build();
    try {
      executor.execute(engine);
      newTables.begin(engine, handler, props.getProperty("publication.name"));
      long lastReport = System.currentTimeMillis();
      while (true) {
        Thread.sleep(200);
        if (failure.get() != null) {
          break; // reported below, once the engine is closed
        }
        long now = System.currentTimeMillis();
        if (now - lastReport >= 5000) {
          progress.accept(source.name() + ": " + handler.eventsCommitted.get() + " events committed"
              + (handler.snapshotInProgress ? ", snapshot " + batch.pendingEvents() + " rows read so far" : ""));
          lastReport = now;
        }
        if (stopRequested) {
          progress.accept(source.name() + ": stop requested, closing the engine");
          break;
        }
        if (!handler.busy && !handler.snapshotInProgress && !newTables.pending()
            && now - handler.lastActivityMillis.get() >= idle.toMillis()) {
          break;
        }
      }
    } finally {
      closeEngine(engine);
      executor.shutdown();
      executor.awaitTermination(60, TimeUnit.SECONDS);
      WarehouseOffsetStore.unregister(registryKey);
      batch.abandon();
    }
    if (failure.get() != null) { // failed while running, or reported only while shutting down
      throw new IllegalStateException("Capture of source '" + source.name() + "' failed: " + failureMessage.get()
          + " (" + RootCause.message(failure.get()) + ")", failure.get());
    }
    newTables.finish();
    Checkpoint last = handler.lastCheckpoint;
    long batches = last == null ? 0 : last.batchSeq() - startedBatch + 1;
    LOG.info("{}: {} events in {} batch(es)", source.name(), handler.eventsCommitted.get(), batches);
    return new Result(source.name(), handler.eventsCommitted.get(), Math.max(0, batches), last, start != null);
  }

  private static void closeEngine(DebeziumEngine<?> engine) throws InterruptedException {
    for (int attempt = 0; attempt < 100; attempt++) {
      try {
        engine.close();
        return;
      } catch (IllegalStateException e) {
        if (e.getMessage() != null && e.getMessage().contains("already")) {
          return; // stopped by itself (failure) or already stopping
        }
        Thread.sleep(200); // tasks still starting: the engine refuses to stop then
      } catch (java.io.IOException e) {
        LOG.warn("Engine did not close cleanly: {}", e.getMessage());
        return;
      }
    }
  }

}
