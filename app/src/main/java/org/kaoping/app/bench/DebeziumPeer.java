package org.kaoping.app.bench;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.connect.source.SourceRecord;
import org.kaoping.ingestion.SourceConnection;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;

/**
 * Debezium's own engine delivering to a consumer that does nothing, on a replication slot of its own: the peer
 * Kaoping's capture is measured against. It stops once it has delivered as many row events as Kaoping wrote.
 */
final class DebeziumPeer {
  /** Slots are the server's, not a database's: one per source. */
  private static String slot(SourceConnection source) {
    return "kaoping_bench_peer_" + source.name();
  }

  enum Mode {
    /** Debezium's initial snapshot of the tables (snapshot.mode initial_only). */
    SNAPSHOT("initial_only"),
    /** Streaming from a slot created earlier by {@link #createStreamSlot} (snapshot.mode no_data). */
    STREAM("no_data");

    final String snapshotMode;

    Mode(String snapshotMode) {
      this.snapshotMode = snapshotMode;
    }
  }

  private DebeziumPeer() {}

  /** Creates the peer's slot now, so a later {@link Mode#STREAM} run reads the changes committed from here on. */
  static void createStreamSlot(SourceConnection source) throws Exception {
    dropSlot(source);
    try (Connection c = source.connect(); Statement s = c.createStatement()) {
      s.execute("SELECT pg_create_logical_replication_slot('" + slot(source) + "', 'pgoutput')");
    }
  }

  /**
   * Runs the engine until it delivered {@code expectedRows} row events (heartbeats not counted), then drops its
   * slot. Returns the events delivered; fails after {@code timeoutSeconds}.
   */
  static long run(SourceConnection source, Mode mode, long expectedRows, long timeoutSeconds) throws Exception {
    Properties props = source.connectorProperties();
    props.setProperty("name", "kaoping-bench-peer-" + source.name());
    props.setProperty("slot.name", slot(source));
    props.setProperty("snapshot.mode", mode.snapshotMode);
    props.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
    props.setProperty("offset.flush.interval.ms", "60000");
    props.setProperty("heartbeat.interval.ms", "0"); // the peer writes nothing to the source
    props.remove("heartbeat.action.query");
    props.setProperty("publication.autocreate.mode", "disabled"); // Kaoping's publication, exactly as it captures
    AtomicLong delivered = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    String heartbeatTopic = "." + SourceConnection.HEARTBEAT_TABLE;
    DebeziumEngine<RecordChangeEvent<SourceRecord>> engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
        .using(props)
        .notifying((records, committer) -> {
          long rows = 0;
          for (RecordChangeEvent<SourceRecord> record : records) {
            String topic = record.record().topic();
            if (topic != null && !topic.startsWith("__debezium") && !topic.endsWith(heartbeatTopic)) {
              rows++;
            }
            committer.markProcessed(record);
          }
          committer.markBatchFinished();
          delivered.addAndGet(rows);
        })
        .using((success, message, error) -> {
          if (!success) {
            failure.set(error == null ? new IllegalStateException(message) : error);
          }
        })
        .build();
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "bench-peer-" + source.name()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    try {
      executor.submit(engine);
      while (delivered.get() < expectedRows && failure.get() == null) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Debezium's engine delivered " + delivered.get() + " of " + expectedRows
              + " row events of source '" + source.name() + "' in " + timeoutSeconds + " s");
        }
        Thread.sleep(20);
      }
      if (failure.get() != null) {
        throw new IllegalStateException("Debezium's engine failed on source '" + source.name() + "': "
            + failure.get().getMessage(), failure.get());
      }
      return delivered.get();
    } finally {
      try {
        engine.close();
      } catch (IllegalStateException alreadyStopped) {
        // the engine failed and shut itself down: the failure above is what to report
      }
      executor.shutdown();
      executor.awaitTermination(60, TimeUnit.SECONDS);
      dropSlot(source);
    }
  }

  /** Drops the peer's slot once the closed engine's walsender has let go of it. */
  private static void dropSlot(SourceConnection source) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try (Connection c = source.connect(); Statement s = c.createStatement()) {
      while (true) {
        try (var rs = s.executeQuery("SELECT active FROM pg_replication_slots WHERE slot_name = '" + slot(source) + "'")) {
          if (!rs.next()) {
            return;
          }
          if (!rs.getBoolean(1)) {
            s.execute("SELECT pg_drop_replication_slot('" + slot(source) + "')");
            return;
          }
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("The benchmark's replication slot " + slot(source) + " is still in use after 60 s");
        }
        Thread.sleep(50);
      }
    }
  }
}
