package org.kaoping.ingestion;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.kaoping.warehouse.IngestCheckpoints;
import org.kaoping.warehouse.IngestCheckpoints.Checkpoint;
import org.kaoping.warehouse.RawChangeTable;
import org.kaoping.warehouse.TableFiles;
import org.kaoping.warehouse.WarehouseCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a source's existing rows into the raw layer in parallel, in chunks, from one consistent
 * snapshot, before streaming starts; many times faster than Debezium's single-threaded snapshot and
 * still exactly once.
 *
 * <p>How: the publication, then the replication slot are created, the slot exporting the snapshot of
 * its consistent point; several connections import that snapshot ({@code SET TRANSACTION SNAPSHOT})
 * and read key-range chunks ({@link LoadPlan}) into data files, which this thread commits as they come, the
 * chunks ready at once in one Iceberg fast append per table recording their numbers
 * and snapshot ({@link LoadedChunks}); then one checkpoint carries a Debezium offset at the slot's
 * position, and the engine streams from exactly there, taking the load for a completed snapshot.
 * Rows are rendered as Debezium renders them ({@link SourceTableImage}), with op {@code r}.
 *
 * <p>A load killed midway keeps its committed chunks: the next run exports a new snapshot for the
 * remaining ones, and {@link LoadedChunks} drops from the stream what that later snapshot already held.
 */
public final class InitialLoad {
  private static final Logger LOG = LoggerFactory.getLogger(InitialLoad.class);

  /**
   * @param workers   connections reading chunks at once
   * @param chunkRows rows per chunk, about (chunks follow key ranges)
   */
  public record Options(int workers, int chunkRows) {
    /** Two readers per core, chunks of 100,000 rows. */
    public static final Options DEFAULT = new Options(Math.max(2, 2 * Runtime.getRuntime().availableProcessors()), 100_000);

    public Options {
      if (workers < 1 || chunkRows < 1) {
        throw new IllegalArgumentException("initial load: workers and chunk rows must be at least 1");
      }
    }
  }

  /** Below this many rows per chunk a table is not split further to keep every reader busy: commits would cost more. */
  private static final int MIN_SPLIT_ROWS = 5_000;

  private final WarehouseCatalog warehouse;
  private final SourceConnection source;
  private final Options options;
  private final Consumer<String> progress;
  private long streamingStartLsn = -1;
  private final java.util.function.BooleanSupplier stopRequested;
  private final AtomicLong rowsRead = new AtomicLong();
  private final AtomicInteger chunksDone = new AtomicInteger();

  InitialLoad(WarehouseCatalog warehouse, SourceConnection source, Options options, Consumer<String> progress,
      java.util.function.BooleanSupplier stopRequested) {
    this.stopRequested = stopRequested;
    this.warehouse = warehouse;
    this.source = source;
    this.options = options;
    this.progress = progress;
  }

  /** The load ended on a stop request; what it committed stays. */
  static final class Stopped extends RuntimeException {
    Stopped(String message) {
      super(message);
    }
  }

  /** Rows this run read (a resumed load's earlier chunks not included). */
  long rowsRead() {
    return rowsRead.get();
  }

  /** The slot's LSN, where streaming starts after the load: every transaction committed before it is in the load. */
  long streamingStartLsn() {
    return streamingStartLsn;
  }

  /** One chunk to read: the table, its image and plan, and the chunk's number. */
  private record Work(Table raw, SourceTableImage image, LoadPlan plan, int chunk) {}

  /**
   * Loads every chunk not committed yet and commits the checkpoint streaming starts from.
   *
   * @return that checkpoint, or null when a table cannot be rendered exactly as Debezium would and nothing
   *     was loaded yet: the source then takes Debezium's own snapshot (the reason is reported)
   */
  Checkpoint run(IngestCheckpoints checkpoints) throws InterruptedException {
    long started = System.nanoTime();
    List<SourceTableImage> images = new ArrayList<>();
    try (Connection c = source.connect()) {
      for (String table : NewTableSnapshots.sourceTables(source)) {
        images.add(SourceTableImage.read(c, table));
      }
      List<String> unsupported = images.stream().map(SourceTableImage::unsupported).filter(r -> r != null).toList();
      if (!unsupported.isEmpty()) {
        if (!LoadedChunks.read(warehouse, source.name()).isEmpty()) {
          throw new IllegalStateException("Source '" + source.name() + "': the interrupted initial load cannot go on: "
              + String.join("; ", unsupported) + ". Restore the column types, or drop the source's raw tables and"
              + " replication slot " + source.slotName() + " to start over with Debezium's snapshot.");
        }
        progress.accept(source.name() + ": Debezium's snapshot reads the existing rows instead of the parallel load: "
            + String.join("; ", unsupported));
        return null;
      }
      ensurePublication(c, images);
    } catch (SQLException e) {
      throw new IllegalStateException("Source '" + source.name() + "': cannot prepare the initial load: " + e.getMessage(), e);
    }

    List<Connection> readers = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(options.workers(), r -> new Thread(r, "load-" + source.name()));
    try {
      String snapshotText;
      String exportedName;
      long wal;
      long slotLsn;
      boolean createdSlot;
      try (ExportedSnapshot exported = ExportedSnapshot.open(source)) {
        for (int i = 0; i < options.workers(); i++) {
          readers.add(importing(exported.name()));
        }
        try (Statement s = readers.get(0).createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_current_snapshot()::text, pg_current_wal_insert_lsn()::text")) {
          rs.next();
          snapshotText = rs.getString(1);
          wal = Lsn.parse(rs.getString(2));
        }
        slotLsn = exported.slotLsn();
        streamingStartLsn = slotLsn;
        createdSlot = exported.createdSlot();
        exportedName = exported.name();
      } // the snapshot stays alive in the importing transactions
      List<Work> work = plan(readers.get(0), images);
      long total = work.size();
      progress.accept(source.name() + ": initial load of " + images.size() + " table(s), " + total + " chunk(s) to read by "
          + options.workers() + " connection(s) from " + (createdSlot ? "the snapshot of replication slot "
          + source.slotName() + ", created at LSN " : "a new snapshot (a resumed load; the slot stays at LSN ")
          + Lsn.format(slotLsn) + (createdSlot ? "" : ")"));
      LOG.info("{}: readers import snapshot {} (transactions {}), WAL at {}", source.name(), exportedName, snapshotText,
          Lsn.format(wal));
      BlockingQueue<Connection> free = new ArrayBlockingQueue<>(readers.size(), false, readers);
      BlockingQueue<ReadChunk> read = new LinkedBlockingQueue<>();
      List<Future<?>> running = new ArrayList<>();
      for (Work w : work) {
        running.add(pool.submit(() -> {
          Connection c = free.take();
          try {
            read.put(readChunk(c, w, wal));
          } finally {
            free.put(c);
          }
          return null;
        }));
      }
      long lastReport = System.nanoTime();
      int committed = 0;
      while (committed < total) {
        if (stopRequested.getAsBoolean()) { // the chunks committed stay; the next run reads the rest
          throw new Stopped(source.name() + ": initial load stopped on request after " + committed + " of "
              + total + " chunk(s)");
        }
        ReadChunk first = read.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          failIfAReaderFailed(running);
        } else {
          List<ReadChunk> ready = new ArrayList<>(List.of(first));
          read.drainTo(ready);
          commit(ready, snapshotText, wal);
          committed += ready.size();
        }
        if (System.nanoTime() - lastReport > 5_000_000_000L) {
          progress.accept(progressLine(total, started));
          lastReport = System.nanoTime();
        }
      }
      progress.accept(progressLine(total, started));
      return checkpoint(checkpoints, images, slotLsn);
    } catch (SQLException e) {
      throw new IllegalStateException("Source '" + source.name() + "': the initial load failed: " + e.getMessage()
          + ". The chunks committed so far are kept; run 'kaoping ingest' again to load the rest.", e);
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(60, TimeUnit.SECONDS);
      for (Connection c : readers) {
        try {
          c.close();
        } catch (SQLException e) {
          LOG.debug("closing a reader", e);
        }
      }
    }
  }

  private String progressLine(long total, long started) {
    double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
    return String.format("%s: initial load, %d of %d chunk(s), %,d rows read (%,.0f rows/s)", source.name(),
        chunksDone.get(), total, rowsRead.get(), rowsRead.get() / seconds);
  }

  /** A connection whose transaction reads the exported snapshot. */
  private Connection importing(String snapshotName) throws SQLException {
    Connection c = source.connect();
    c.setAutoCommit(false);
    c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    c.setReadOnly(true);
    try (Statement s = c.createStatement()) {
      s.execute("SET TRANSACTION SNAPSHOT '" + snapshotName.replace("'", "''") + "'");
    }
    return c;
  }

  /** The publication Debezium streams from, created before the slot so that no change after the slot is outside it. */
  private void ensurePublication(Connection c, List<SourceTableImage> images) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
      ps.setString(1, source.publicationName());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
    }
    List<String> tables = new ArrayList<>(images.stream().map(i -> SourceTableImage.quoted(i.table())).toList());
    tables.add(SourceTableImage.quoted(source.heartbeatTable()));
    try (Statement s = c.createStatement()) {
      s.execute("CREATE PUBLICATION \"" + source.publicationName() + "\" FOR TABLE " + String.join(", ", tables));
    } catch (SQLException e) {
      throw new IllegalStateException("Source '" + source.name() + "': cannot create publication " + source.publicationName()
          + " (" + e.getMessage() + "). Create it as the tables' owner: CREATE PUBLICATION " + source.publicationName()
          + " FOR TABLE " + String.join(", ", tables) + ";", e);
    }
  }

  /** Reads each table's plan (planning the tables without one, from the snapshot) and lists the chunks still to read. */
  private List<Work> plan(Connection reader, List<SourceTableImage> images) throws SQLException {
    Map<SourceTableImage, Table> raws = new LinkedHashMap<>();
    long nextSeqBase = 0;
    for (SourceTableImage image : images) {
      Table raw = RawChangeTable.open(warehouse, source.name(), image.table());
      raws.put(image, raw);
      String planned = raw.properties().get(LoadPlan.PROPERTY);
      if (planned != null) {
        nextSeqBase = Math.max(nextSeqBase, LoadPlan.parse(planned).endSeq());
      }
    }
    List<Work> work = new ArrayList<>();
    for (Map.Entry<SourceTableImage, Table> e : raws.entrySet()) {
      SourceTableImage image = e.getKey();
      Table raw = e.getValue();
      String planned = raw.properties().get(LoadPlan.PROPERTY);
      LoadPlan plan;
      if (planned != null) {
        plan = LoadPlan.parse(planned);
      } else {
        plan = cut(reader, image, nextSeqBase);
        nextSeqBase = plan.endSeq();
        raw.updateProperties().set(LoadPlan.PROPERTY, plan.format()).commit();
      }
      Set<Integer> done = LoadedChunks.committedChunks(raw);
      for (int i = 0; i < plan.chunks(); i++) {
        if (!done.contains(i)) {
          work.add(new Work(raw, image, plan, i));
        }
      }
    }
    return work;
  }

  private LoadPlan cut(Connection reader, SourceTableImage image, long seqBase) throws SQLException {
    String column = image.rangeColumn();
    if (column == null) {
      return new LoadPlan(seqBase, null, List.of());
    }
    String name = SourceTableImage.quoted(image.table());
    String quotedColumn = SourceTableImage.quote(column);
    long rows;
    try (PreparedStatement ps = reader.prepareStatement("SELECT reltuples::bigint FROM pg_class WHERE oid = ?::regclass")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rows = rs.next() ? rs.getLong(1) : -1;
      }
    }
    try (Statement s = reader.createStatement(); ResultSet rs = s.executeQuery("SELECT min(" + quotedColumn + "), max("
        + quotedColumn + ")" + (rows <= 0 ? ", count(*)" : "") + " FROM " + name)) {
      rs.next();
      long min = rs.getLong(1);
      if (rs.wasNull()) {
        return new LoadPlan(seqBase, column, List.of()); // empty now; later rows stream
      }
      long max = rs.getLong(2);
      long estimate = rows <= 0 ? rs.getLong(3) : rows;
      // at least four chunks per reader where the table is large enough, so no reader idles behind one big chunk
      int chunkRows = (int) Math.min(options.chunkRows(), Math.max(MIN_SPLIT_ROWS, estimate / (4L * options.workers())));
      return LoadPlan.cut(seqBase, column, min, max, estimate, chunkRows);
    }
  }

  /** A chunk read into its data file (null when the chunk holds no rows), not committed yet. */
  private record ReadChunk(Work work, DataFile file) {}

  /** Reads one chunk into one data file. */
  private ReadChunk readChunk(Connection c, Work w, long wal) throws SQLException {
    Long lower = w.plan().lower(w.chunk());
    Long upper = w.plan().upper(w.chunk());
    OffsetDateTime readAt = OffsetDateTime.now(ZoneOffset.UTC);
    String rowSchema = w.image().rowSchema();
    TableFiles.Writer writer = TableFiles.writer(w.raw());
    long seq = w.plan().firstSeq(w.chunk());
    long rows = 0;
    boolean written = false;
    try (PreparedStatement ps = c.prepareStatement(w.image().select(lower != null, upper != null))) {
      ps.setFetchSize(5_000);
      int p = 1;
      if (lower != null) {
        ps.setLong(p++, lower);
      }
      if (upper != null) {
        ps.setLong(p, upper);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          RawBatch.Event e = new RawBatch.Event(w.image().table(), "r", wal, null, null, readAt, true,
              w.image().keyJson(rs), null, w.image().rowJson(rs), rowSchema);
          writer.write(RawBatch.record(e, seq++, 0));
          rows++;
          if ((rows & 4095) == 0) {
            rowsRead.addAndGet(4096);
          }
        }
      }
      rowsRead.addAndGet(rows & 4095);
      written = true;
    } finally {
      if (!written) {
        writer.abandon();
      }
    }
    if (rows >= LoadPlan.SEQ_SPAN) {
      throw new IllegalStateException(w.image().table() + ": chunk " + w.chunk() + " holds more rows than its event numbers");
    }
    if (rows == 0) {
      writer.abandon(); // an empty chunk commits no file, only its record
      return new ReadChunk(w, null);
    }
    return new ReadChunk(w, writer.finish());
  }

  /**
   * Commits the chunks read so far: one fast append per table, recording the chunks it holds and the snapshot they
   * were read from, so the readers never wait for a commit and a table takes one commit however many chunks are ready.
   */
  private void commit(List<ReadChunk> ready, String snapshotText, long wal) {
    Map<Table, List<ReadChunk>> byTable = new LinkedHashMap<>();
    ready.forEach(r -> byTable.computeIfAbsent(r.work().raw(), t -> new ArrayList<>()).add(r));
    for (Map.Entry<Table, List<ReadChunk>> e : byTable.entrySet()) {
      AppendFiles append = e.getKey().newFastAppend();
      List<String> chunks = new ArrayList<>();
      for (ReadChunk r : e.getValue()) {
        if (r.file() != null) {
          append.appendFile(r.file());
        }
        chunks.add(Integer.toString(r.work().chunk()));
      }
      append.set(RawChangeTable.SOURCE_PROPERTY, source.name())
          .set(RawChangeTable.BATCH_SEQ_SUMMARY, "0") // before every batch: never rolled back as an interrupted one
          .set(LoadedChunks.CHUNK_SUMMARY, String.join(",", chunks))
          .set(LoadedChunks.SNAPSHOT_SUMMARY, snapshotText)
          .set(LoadedChunks.WAL_SUMMARY, Long.toString(wal))
          .commit();
      chunksDone.addAndGet(chunks.size());
    }
  }

  private void failIfAReaderFailed(List<Future<?>> running) throws InterruptedException {
    for (Future<?> f : running) {
      if (f.isDone()) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          Throwable cause = e.getCause();
          throw new IllegalStateException("Source '" + source.name() + "': the initial load failed: " + cause.getMessage()
              + ". The chunks committed so far are kept; run 'kaoping ingest' again to load the rest.", cause);
        }
      }
    }
  }

  /**
   * The checkpoint that ends the load: batch 0, numbered after every chunk's events, with a Debezium offset
   * at the slot's position, so the engine takes the snapshot as done and streams from exactly there.
   */
  private Checkpoint checkpoint(IngestCheckpoints checkpoints, List<SourceTableImage> images, long streamFrom) {
    long lastSeq = 0;
    long events = 0;
    List<String> tables = new ArrayList<>();
    for (SourceTableImage image : images) {
      Table raw = RawChangeTable.open(warehouse, source.name(), image.table());
      lastSeq = Math.max(lastSeq, LoadPlan.parse(raw.properties().get(LoadPlan.PROPERTY)).endSeq());
      for (Snapshot s : raw.snapshots()) {
        if (s.summary().containsKey(LoadedChunks.CHUNK_SUMMARY)) {
          events += Long.parseLong(s.summary().getOrDefault("added-records", "0"));
        }
      }
      tables.add(raw.name());
    }
    OffsetCodec codec = new OffsetCodec(CaptureRunner.engineName(source));
    Map<String, Object> offset = new HashMap<>();
    offset.put("lsn", streamFrom);
    offset.put("ts_usec", ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()));
    Checkpoint checkpoint = new Checkpoint(source.name(), 0, lastSeq, codec.keyJson(Map.of("server", source.name())),
        codec.valueJson(offset), events, tables, OffsetDateTime.now(ZoneOffset.UTC));
    checkpoints.append(checkpoint);
    LOG.info("{}: initial load committed, {} rows in {} table(s); streaming starts at LSN {}", source.name(), events,
        tables.size(), Lsn.format(streamFrom));
    progress.accept(source.name() + ": initial load committed (" + String.format("%,d", events) + " rows in "
        + tables.size() + " table(s)); streaming starts at LSN " + Lsn.format(streamFrom));
    return checkpoint;
  }
}
