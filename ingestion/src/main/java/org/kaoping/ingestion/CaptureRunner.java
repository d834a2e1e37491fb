package org.kaoping.ingestion;

import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.apache.kafka.connect.source.SourceRecord;
import org.kaoping.warehouse.IngestCheckpoints;
import org.kaoping.warehouse.IngestCheckpoints.Checkpoint;
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

  /** When a run ends. */
  public enum Mode {
    /** Once everything the source had committed when the run started is committed in the warehouse. */
    CATCH_UP,
    /** Only when {@link #requestStop} is called (the long-running capture). */
    FOLLOW
  }

  /**
   * What a capture run did.
   *
   * @param events           rows the initial load read in this run plus change events committed
   * @param resumed          whether the run started from a checkpoint in the warehouse
   * @param targetLsn        the source's WAL position when the run started (what a catch-up run had to reach)
   * @param reachedLsn       the WAL position up to which everything is committed in the warehouse; -1 if nothing moved
   * @param retainedWalBytes WAL the replication slot still holds on the source at the end; -1 if unknown
   */
  public record Result(String source, long events, long transactions, long batches, Checkpoint lastCheckpoint,
      boolean resumed, long targetLsn, long reachedLsn, long retainedWalBytes, boolean initialLoadUnfinished) {

    /** One line for people: what was reached and what it took. */
    public String summary() {
      String reached = reachedLsn >= targetLsn ? "caught up to LSN " + Lsn.format(reachedLsn)
          : "stopped at LSN " + (reachedLsn < 0 ? "-" : Lsn.format(reachedLsn)) + " before reaching " + Lsn.format(targetLsn);
      return source + ": " + reached + ", " + events + " events, " + transactions + " transactions in " + batches
          + " batch(es)" + (lastCheckpoint == null ? "" : ", checkpoint at batch " + lastCheckpoint.batchSeq())
          + (retainedWalBytes < 0 ? "" : String.format("; the slot retains %.1f MB of WAL", retainedWalBytes / 1e6));
    }
  }

  private final WarehouseCatalog warehouse;
  private final SourceConnection source;
  private final InitialLoad.Options initialLoad;
  private volatile boolean stopRequested;
  private volatile ChangeHandler live; // the running engine's handler, for the service's metrics
  private volatile long loadedRows; // rows this run's initial load committed

  /** A capture whose existing rows are read by the parallel initial load with its default settings. */
  public CaptureRunner(WarehouseCatalog warehouse, SourceConnection source) {
    this(warehouse, source, InitialLoad.Options.DEFAULT);
  }

  /**
   * @param initialLoad how the existing rows are read at the first run: the parallel load's settings, or null for
   *     Debezium's own snapshot (also taken when the source's Debezium settings set {@code snapshot.mode})
   */
  public CaptureRunner(WarehouseCatalog warehouse, SourceConnection source, InitialLoad.Options initialLoad) {
    this.warehouse = warehouse;
    this.source = source;
    this.initialLoad = initialLoad;
  }

  /** The engine's name, which keys its offsets. */
  static String engineName(SourceConnection source) {
    return "kaoping-" + source.name();
  }

  /** Asks a running capture to stop after the batch in hand: a clean stop, nothing lost or duplicated. */
  public void requestStop() {
    stopRequested = true;
  }

  /** WAL position up to which everything is committed in the warehouse by the running engine; -1 before its first batch. */
  public long committedLsn() {
    ChangeHandler h = live;
    return h == null ? -1 : h.committedLsn.get();
  }

  /** Rows this run's initial load committed plus change events the running engine has committed so far. */
  public long eventsCommitted() {
    ChangeHandler h = live;
    return loadedRows + (h == null ? 0 : h.eventsCommitted.get());
  }

  /** The latest checkpoint committed (or resumed from) by the running engine; null before one exists. */
  public Checkpoint lastCheckpoint() {
    ChangeHandler h = live;
    return h == null ? null : h.lastCheckpoint;
  }

  /** True while the engine still reads the initial (or a new table's) snapshot. */
  public boolean snapshotting() {
    ChangeHandler h = live;
    return h == null || h.snapshotInProgress;
  }

  /**
   * Runs until the mode's end: caught up with the source's position at the start (however long the
   * engine takes to start), or stopped by {@link #requestStop}.
   *
   * @param progress receives a line per step and per committed batch of changes (none while nothing happens)
   * @throws IllegalStateException naming the source, the cause and the fix when the source or the engine fails,
   *     or when the engine ends by itself before the run's end
   */
  public Result run(Mode mode, Consumer<String> progress) throws InterruptedException {
    source.verify();
    IngestCheckpoints checkpoints = IngestCheckpoints.open(warehouse);
    Checkpoint start = checkpoints.latest(source.name()).orElse(null);
    int removed = IngestRecovery.rollBackUncheckpointed(warehouse, source.name(), start);
    if (removed > 0) {
      progress.accept(source.name() + ": rolled back " + removed + " file(s) of an interrupted batch");
    }
    boolean resumed = start != null;
    long target = source.catchUpTarget();
    if (start == null && initialLoad != null && !source.debezium().containsKey("snapshot.mode")) {
      InitialLoad load = new InitialLoad(warehouse, source, initialLoad, progress, () -> stopRequested);
      try {
        start = load.run(checkpoints);
      } catch (InitialLoad.Stopped stopped) { // a requested stop: the committed chunks stay, the next run reads the rest
        progress.accept(stopped.getMessage());
        return new Result(source.name(), load.rowsRead(), 0, 0, null, false, target, -1, source.retainedWalBytes(), true);
      }
      loadedRows = load.rowsRead(); // counted as committed: the service builds once new rows are in raw
      if (mode == Mode.CATCH_UP && load.streamingStartLsn() >= target) { // the slot was created after the target was read
        progress.accept(source.name() + ": the initial load holds everything up to the source's position LSN "
            + Lsn.format(target) + "; nothing to stream");
        Result result = new Result(source.name(), loadedRows, 0, 0, start, false, target, load.streamingStartLsn(),
            source.retainedWalBytes(), false);
        LOG.info(result.summary());
        return result;
      }
    }
    progress.accept(start == null
        ? source.name() + ": no checkpoint in the warehouse, starting with Debezium's snapshot"
        : source.name() + ": resuming after batch " + start.batchSeq() + " (event " + start.lastEventSeq() + ")");
    if (mode == Mode.CATCH_UP) {
      progress.accept(source.name() + ": catching up to the source's position LSN " + Lsn.format(target));
    }

    NewTableSnapshots newTables = NewTableSnapshots.detect(warehouse, source, start, progress);
    String engineName = engineName(source);
    String registryKey = UUID.randomUUID().toString();
    WarehouseOffsetStore.register(registryKey, start);
    RawBatch batch = new RawBatch(warehouse, checkpoints, source.name(), start);
    ChangeHandler handler = new ChangeHandler(batch, new OffsetCodec(engineName), start, source.heartbeatTable(),
        LoadedChunks.read(warehouse, source.name()));
    handler.onChangesCommitted = (checkpoint, lsn) -> progress.accept(batchLine(checkpoint, lsn, target));
    live = handler;
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
    boolean endedByItself = false;
    try {
      Future<?> running = executor.submit(engine);
      newTables.begin(engine, handler, props.getProperty("publication.name"));
      long lastReport = System.currentTimeMillis();
      long lastReportedRows = 0;
      while (failure.get() == null) { // a failure is reported below, once the engine is closed
        Thread.sleep(200);
        if (stopRequested) {
          progress.accept(source.name() + ": stop requested, closing the engine");
          break;
        }
        if (mode == Mode.CATCH_UP && !handler.snapshotInProgress && !newTables.pending()
            && handler.committedLsn.get() >= target) {
          break;
        }
        if (running.isDone()) {
          endedByItself = failure.get() == null;
          break;
        }
        long now = System.currentTimeMillis();
        // Committed batches speak for themselves (batchLine); only a snapshot being read, which commits once at
        // its end, reports here, and only when it read more since its last line.
        if (handler.snapshotInProgress && now - lastReport >= 5000 && batch.pendingEvents() > lastReportedRows) {
          lastReportedRows = batch.pendingEvents();
          progress.accept(source.name() + ": snapshot, " + lastReportedRows + " rows read so far");
          lastReport = now;
        }
      }
    } finally {
      handler.stopAfterBatchInHand();
      closeEngine(engine);
      executor.shutdown();
      executor.awaitTermination(60, TimeUnit.SECONDS);
      WarehouseOffsetStore.unregister(registryKey);
      batch.abandon();
    }
    if (failure.get() != null) { // failed while running, or reported only while shutting down
      throw new IllegalStateException(CaptureFailure.describe(source, failureMessage.get(), failure.get()), failure.get());
    }
    if (endedByItself) {
      throw new IllegalStateException("Capture of source '" + source.name() + "' ended before reaching LSN "
          + Lsn.format(target) + " without reporting an error; see the log above, then run 'kaoping ingest' again.");
    }
    newTables.finish();
    if (handler.skippedAsLoaded.get() > 0) {
      progress.accept(source.name() + ": " + handler.skippedAsLoaded.get() + " streamed change(s) were already in the"
          + " rows a resumed initial load read, and were not ingested again");
    }
    Checkpoint last = handler.lastCheckpoint;
    long batches = last == null ? 0 : Math.max(0, last.batchSeq() - startedBatch + 1);
    Result result = new Result(source.name(), loadedRows + handler.eventsCommitted.get(), handler.transactionsCommitted.get(),
        batches, last, resumed, target, handler.committedLsn.get(), source.retainedWalBytes(), false);
    LOG.info(result.summary());
    return result;
  }

  /** One line per batch that held changes: what it committed and how far the capture is. */
  private String batchLine(Checkpoint checkpoint, long lsn, long target) {
    return source.name() + ": batch " + checkpoint.batchSeq() + " committed, " + checkpoint.events() + " events"
        + (lsn < 0 ? "" : ", at LSN " + Lsn.format(lsn)
            + (lsn < target ? String.format(" (%.1f MB behind the target)", (target - lsn) / 1e6) : ""));
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
