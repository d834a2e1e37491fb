package org.kaoping.demo;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import org.kaoping.demo.EmbeddedSourceServer.SourceDatabase;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Fills empty source databases with a generated world as it stands at an instant, streaming rows with
 * {@code COPY ... FROM STDIN} (text format) in constant memory: units are generated one after the other,
 * their rows encoded into per-table buffers handed to one writer thread per database.
 *
 * <p>Each database is loaded in one transaction: its keys, constraints' indexes and secondary indexes are
 * dropped first and recreated (and validated) at the end, so a failed load leaves the tables empty and whole.
 */
public final class CopyLoader {
  /** Buffered bytes of one database after which they go to its writer. */
  private static final int CHUNK_BYTES = 4 << 20;
  /** Units generated ahead of the one being encoded, on two threads (each unit's world is independent). */
  private static final int GENERATED_AHEAD = 4;

  /** Rows and COPY seconds per table, and the wall time of the load and of restoring indexes and keys. */
  public record Result(Map<String, Long> rows, Map<String, Double> copySeconds, double loadSeconds, double restoreSeconds) {
    public long totalRows() {
      return rows.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private record Chunk(Map<String, Buffer> tables) {}

  private static final Chunk END = new Chunk(Map.of());

  private CopyLoader() {}

  /** Loads {@code generator}'s world as of {@code at} into the server's empty source databases. */
  public static Result load(EmbeddedSourceServer server, WorldGenerator generator, LocalDateTime at,
      Consumer<String> progress) throws Exception {
    long started = System.nanoTime();
    Map<SourceDatabase, Connection> connections = new EnumMap<>(SourceDatabase.class);
    Map<SourceDatabase, BlockingQueue<Chunk>> queues = new EnumMap<>(SourceDatabase.class);
    Map<SourceDatabase, List<String>> restore = new EnumMap<>(SourceDatabase.class);
    Map<String, Long> rows = new LinkedHashMap<>();
    Map<String, Double> copySeconds = new java.util.concurrent.ConcurrentHashMap<>();
    ExecutorService writers = Executors.newFixedThreadPool(SourceDatabase.values().length);
    ExecutorService generators = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (SourceDatabase db : SourceDatabase.values()) {
        Connection c = server.connect(db);
        connections.put(db, c);
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
          s.execute("SET synchronous_commit = off"); // the load is one transaction; losing it on a crash loses nothing
          s.execute("SET maintenance_work_mem = '256MB'");
        }
        Map<String, List<String>> tables = SourceLoader.tableColumns(db);
        tables.keySet().forEach(t -> rows.put(t, 0L));
        requireEmpty(c, db, tables.keySet());
        restore.put(db, dropKeysAndIndexes(c));
        BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(2);
        queues.put(db, queue);
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        running.add(writers.submit(() -> write(copy, tables, queue, copySeconds)));
      }
      Map<SourceDatabase, Map<String, Buffer>> buffers = new EnumMap<>(SourceDatabase.class);
      for (SourceDatabase db : SourceDatabase.values()) {
        buffers.put(db, new LinkedHashMap<>());
      }
      SourceLoader.RowSink sink = (db, table, columns, values) -> {
        buffers.get(db).computeIfAbsent(table, t -> new Buffer()).row(values);
        rows.merge(table, 1L, Long::sum);
      };
      long lastReport = System.nanoTime();
      int units = generator.scale().units();
      java.util.ArrayDeque<Future<World>> ahead = new java.util.ArrayDeque<>();
      long nextUnit = 1;
      for (long u = 0; u <= units; u++) {
        while (nextUnit <= units && ahead.size() < GENERATED_AHEAD) {
          long unit = nextUnit++;
          ahead.add(generators.submit(() -> generator.unit(unit)));
        }
        World part = u == 0 ? generator.common() : ahead.remove().get();
        new SourceLoader(part).rowsAt(at, sink);
        for (SourceDatabase db : SourceDatabase.values()) {
          Map<String, Buffer> b = buffers.get(db);
          if (u == units || b.values().stream().mapToInt(Buffer::length).sum() >= CHUNK_BYTES) {
            hand(queues.get(db), new Chunk(new LinkedHashMap<>(b)), running);
            b.clear();
          }
        }
        if (System.nanoTime() - lastReport > 10_000_000_000L || u == units) {
          lastReport = System.nanoTime();
          long total = rows.values().stream().mapToLong(Long::longValue).sum();
          double s = (lastReport - started) / 1e9;
          progress.accept(String.format("%d/%d units, %,d rows generated in %.0f s (%,.0f rows/s)", u, units, total, s, total / s));
        }
      }
      for (SourceDatabase db : SourceDatabase.values()) {
        hand(queues.get(db), END, running);
      }
      for (Future<?> f : running) {
        f.get();
      }
      double loadSeconds = (System.nanoTime() - started) / 1e9;
      progress.accept(String.format("rows copied in %.1f s; recreating indexes and foreign keys", loadSeconds));
      long restoring = System.nanoTime();
      for (SourceDatabase db : SourceDatabase.values()) {
        Connection c = connections.get(db);
        try (Statement s = c.createStatement()) {
          for (String ddl : restore.get(db)) {
            s.execute(ddl);
          }
        }
        c.commit();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
          s.execute("ANALYZE");
        }
      }
      return new Result(rows, new LinkedHashMap<>(copySeconds), loadSeconds, (System.nanoTime() - restoring) / 1e9);
    } finally {
      writers.shutdownNow();
      generators.shutdownNow();
      for (Connection c : connections.values()) {
        try {
          if (!c.getAutoCommit()) {
            c.rollback();
          }
        } catch (SQLException e) {
          // the connection broke with the load; closing it rolls back
        }
        c.close();
      }
    }
  }

  /** Queues a chunk, failing fast when a writer already failed (its queue would never drain). */
  private static void hand(BlockingQueue<Chunk> queue, Chunk chunk, List<Future<?>> writers) throws Exception {
    while (!queue.offer(chunk, 1, java.util.concurrent.TimeUnit.SECONDS)) {
      for (Future<?> f : writers) {
        if (f.isDone()) {
          f.get();
        }
      }
    }
  }

  private static Void write(CopyManager copy, Map<String, List<String>> tables, BlockingQueue<Chunk> queue,
      Map<String, Double> copySeconds) throws Exception {
    while (true) {
      Chunk chunk = queue.take();
      if (chunk == END) {
        return null;
      }
      for (Map.Entry<String, Buffer> e : chunk.tables().entrySet()) {
        long t0 = System.nanoTime();
        CopyIn in = copy.copyIn("COPY " + e.getKey() + " (" + String.join(", ", tables.get(e.getKey())) + ") FROM STDIN");
        try {
          Buffer b = e.getValue();
          in.writeToCopy(b.bytes, 0, b.length);
          in.endCopy();
        } finally {
          if (in.isActive()) {
            in.cancelCopy();
          }
        }
        copySeconds.merge(e.getKey(), (System.nanoTime() - t0) / 1e9, Double::sum);
      }
    }
  }

  private static void requireEmpty(Connection c, SourceDatabase db, Iterable<String> tables) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String t : tables) {
        try (ResultSet rs = s.executeQuery("SELECT EXISTS (SELECT 1 FROM " + t + ")")) {
          rs.next();
          if (rs.getBoolean(1)) {
            throw new IllegalStateException("the " + db.database() + " database's table " + t
                + " already holds rows: generate into empty sources (another --home)");
          }
        }
      }
    }
  }

  /**
   * Drops the public schema's keys, unique constraints and secondary indexes (building an index once from
   * sorted rows is cheaper than maintaining it row by row); returns the DDL that recreates them in order.
   */
  private static List<String> dropKeysAndIndexes(Connection c) throws SQLException {
    List<String> drop = new ArrayList<>();
    List<String> restore = new ArrayList<>();
    List<String> indexes = new ArrayList<>();
    List<String> foreignKeys = new ArrayList<>();
    try (Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
          + " AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE connamespace = 'public'::regnamespace)")) {
        while (rs.next()) {
          drop.add("DROP INDEX public." + rs.getString(1));
          indexes.add(rs.getString(2));
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype"
          + " FROM pg_constraint WHERE contype IN ('f', 'p', 'u') AND connamespace = 'public'::regnamespace"
          + " ORDER BY contype = 'f' DESC, conname")) {
        while (rs.next()) {
          String table = rs.getString(1);
          drop.add("ALTER TABLE " + table + " DROP CONSTRAINT " + rs.getString(2));
          String add = "ALTER TABLE " + table + " ADD CONSTRAINT " + rs.getString(2) + " " + rs.getString(3);
          (rs.getString(4).equals("f") ? foreignKeys : restore).add(add);
        }
      }
      for (String ddl : drop) {
        s.execute(ddl);
      }
    }
    restore.addAll(indexes);
    restore.addAll(foreignKeys);
    return restore;
  }

  /** Rows of one table in COPY's text format. */
  private static final class Buffer {
    private byte[] bytes = new byte[1 << 16];
    private int length;

    int length() {
      return length;
    }

    void row(Object[] values) {
      for (int i = 0; i < values.length; i++) {
        if (i > 0) {
          put((byte) '\t');
        }
        value(values[i]);
      }
      put((byte) '\n');
    }

    private void value(Object v) {
      if (v == null) {
        put((byte) '\\');
        put((byte) 'N');
      } else if (v instanceof Long || v instanceof Integer || v instanceof Short) {
        ascii(v.toString());
      } else if (v instanceof LocalDateTime t) {
        date(t.toLocalDate());
        put((byte) ' ');
        two(t.getHour());
        put((byte) ':');
        two(t.getMinute());
        put((byte) ':');
        two(t.getSecond());
      } else if (v instanceof LocalDate d) {
        date(d);
      } else if (v instanceof Boolean b) {
        put((byte) (b ? 't' : 'f'));
      } else if (v instanceof BigDecimal d) {
        ascii(d.toPlainString());
      } else {
        text(v.toString());
      }
    }

    private void date(LocalDate d) {
      ascii(Integer.toString(d.getYear()));
      put((byte) '-');
      two(d.getMonthValue());
      put((byte) '-');
      two(d.getDayOfMonth());
    }

    private void two(int n) {
      put((byte) ('0' + n / 10));
      put((byte) ('0' + n % 10));
    }

    private void ascii(String s) {
      ensure(s.length());
      for (int i = 0; i < s.length(); i++) {
        bytes[length++] = (byte) s.charAt(i);
      }
    }

    private void text(String s) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      ensure(utf8.length * 2);
      for (byte b : utf8) {
        switch (b) {
          case '\\' -> { bytes[length++] = '\\'; bytes[length++] = '\\'; }
          case '\t' -> { bytes[length++] = '\\'; bytes[length++] = 't'; }
          case '\n' -> { bytes[length++] = '\\'; bytes[length++] = 'n'; }
          case '\r' -> { bytes[length++] = '\\'; bytes[length++] = 'r'; }
          default -> bytes[length++] = b;
        }
      }
    }

    private void put(byte b) {
      ensure(1);
      bytes[length++] = b;
    }

    private void ensure(int more) {
      if (length + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
      }
    }
  }
}
