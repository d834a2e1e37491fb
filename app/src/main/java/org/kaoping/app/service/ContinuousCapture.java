package org.kaoping.app.service;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.kaoping.ingestion.CaptureRunner;
import org.kaoping.ingestion.InitialLoad;
import org.kaoping.ingestion.SourceConnection;
import org.kaoping.warehouse.IngestCheckpoints.Checkpoint;
import org.kaoping.warehouse.WarehouseCatalog;

/**
 * One Debezium engine per source, kept running ({@link CaptureRunner.Mode#FOLLOW}: exactly once, heartbeats on).
 * A source whose capture fails is restarted after {@link #RETRY_SECONDS}, resuming from its committed offset;
 * its error shows in the status meanwhile. Samples each source every {@link #SAMPLE_SECONDS} for the metrics.
 */
final class ContinuousCapture implements AutoCloseable {
  static final int RETRY_SECONDS = 30;
  static final int SAMPLE_SECONDS = 5;

  private final List<Follower> followers = new ArrayList<>();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "capture-sampler");
    t.setDaemon(true);
    return t;
  });

  ContinuousCapture(WarehouseCatalog warehouse, List<SourceConnection> sources, InitialLoad.Options initialLoad,
      Consumer<String> progress) {
    for (SourceConnection s : sources) {
      Follower f = new Follower(warehouse, s, initialLoad, progress);
      followers.add(f);
      f.thread.start();
    }
    sampler.scheduleWithFixedDelay(() -> followers.forEach(Follower::sample), 0, SAMPLE_SECONDS, TimeUnit.SECONDS);
  }

  /** Change events committed by every source's engine since the service started. */
  long eventsCommitted() {
    return followers.stream().mapToLong(Follower::events).sum();
  }

  /**
   * Waits until every source's running engine has committed past the source's WAL insert position now
   * (the meaning of 'caught up' of {@code kaoping ingest}).
   *
   * @return per source the LSN reached
   * @throws InterruptedException when {@code cancelled} turns true before
   */
  Map<String, Object> awaitCaughtUp(BooleanSupplier cancelled, Consumer<String> progress) throws InterruptedException {
    Map<String, Object> reached = new LinkedHashMap<>();
    for (Follower f : followers) {
      long target = f.source.catchUpTarget();
      progress.accept(f.source.name() + ": waiting for the running capture to commit past LSN " + lsn(target));
      long lastSay = System.currentTimeMillis();
      while (true) {
        CaptureRunner r = f.runner;
        if (r != null && !r.snapshotting() && r.committedLsn() >= target) {
          break;
        }
        if (cancelled.getAsBoolean()) {
          throw new InterruptedException("stopped before " + f.source.name() + " caught up");
        }
        if (System.currentTimeMillis() - lastSay > 10_000) {
          progress.accept(f.source.name() + ": at LSN " + (r == null ? "-" : lsn(r.committedLsn())) + ", target " + lsn(target)
              + (f.error == null ? "" : "; last error: " + f.error));
          lastSay = System.currentTimeMillis();
        }
        Thread.sleep(200);
      }
      reached.put(f.source.name(), lsn(f.runner.committedLsn()));
      progress.accept(f.source.name() + ": caught up to LSN " + lsn(f.runner.committedLsn()));
    }
    return reached;
  }

  /** Per source: lag, events per second, last checkpoint, retained WAL, error. */
  List<SourceStatus> status() {
    return followers.stream().map(Follower::status).toList();
  }

  /** What the metrics show of one source. */
  record SourceStatus(String source, boolean running, double lagSeconds, long lagBytes, double eventsPerSecond,
      long eventsCommitted, Instant lastCheckpointAt, long lastCheckpointBatch, String committedLsn, long retainedWalBytes,
      String error) {}

  /** Stops every engine after the batch in hand (committed or dropped whole) and waits for them. */
  @Override
  public void close() {
    sampler.shutdownNow();
    followers.forEach(Follower::stop);
    for (Follower f : followers) {
      try {
        f.thread.join(120_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static String lsn(long v) {
    return v < 0 ? "-" : org.kaoping.ingestion.Lsn.format(v);
  }

  /** One source's engine, restarted when it fails. */
  private static final class Follower implements Runnable {
    final SourceConnection source;
    final InitialLoad.Options initialLoad;
    final WarehouseCatalog warehouse;
    final Consumer<String> progress;
    final Thread thread;
    volatile CaptureRunner runner;
    volatile boolean stopped;
    volatile String error;
    volatile long earlierEvents; // committed by engines of this source that ended
    // metrics samples
    private final Deque<long[]> insertSamples = new ArrayDeque<>(); // {lsn, epochMillis} not yet committed
    private volatile double eventsPerSecond;
    private volatile long retainedWal = -1;
    private volatile long insertLsn = -1;
    private long lastEvents;
    private long lastSampleAt;

    Follower(WarehouseCatalog warehouse, SourceConnection source, InitialLoad.Options initialLoad, Consumer<String> progress) {
      this.source = source;
      this.initialLoad = initialLoad;
      this.warehouse = warehouse;
      this.progress = progress;
      this.thread = new Thread(this, "follow-" + source.name());
    }

    @Override
    public void run() {
      while (!stopped) {
        CaptureRunner r = new CaptureRunner(warehouse, source, initialLoad);
        runner = r;
        try {
          r.run(CaptureRunner.Mode.FOLLOW, progress);
          error = null;
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          error = e.getMessage();
          progress.accept(source.name() + ": capture failed, retrying in " + RETRY_SECONDS + " s: " + e.getMessage());
        }
        earlierEvents += r.eventsCommitted();
        synchronized (this) {
          long until = System.currentTimeMillis() + RETRY_SECONDS * 1000L;
          while (!stopped && System.currentTimeMillis() < until) {
            try {
              wait(1000);
            } catch (InterruptedException e) {
              return;
            }
          }
        }
      }
    }

    long events() {
      CaptureRunner r = runner;
      return earlierEvents + (r == null ? 0 : r.eventsCommitted());
    }

    long committedLsn() {
      CaptureRunner r = runner;
      return r == null ? -1 : r.committedLsn();
    }

    void stop() {
      stopped = true;
      CaptureRunner r = runner;
      if (r != null) {
        r.requestStop();
      }
      synchronized (this) {
        notifyAll();
      }
    }

    /** Reads the source's insert position and retained WAL; computes events per second since the last sample. */
    synchronized void sample() {
      long now = System.currentTimeMillis();
      long events = events();
      if (lastSampleAt > 0) {
        eventsPerSecond = (events - lastEvents) * 1000.0 / Math.max(1, now - lastSampleAt);
      }
      lastEvents = events;
      lastSampleAt = now;
      try (java.sql.Connection c = source.connect(); java.sql.Statement s = c.createStatement();
           java.sql.ResultSet rs = s.executeQuery("SELECT pg_current_wal_insert_lsn()")) {
        rs.next();
        insertLsn = org.kaoping.ingestion.Lsn.parse(rs.getString(1));
        if (insertSamples.isEmpty() || insertSamples.peekLast()[0] < insertLsn) {
          insertSamples.addLast(new long[] {insertLsn, now});
        }
      } catch (java.sql.SQLException | RuntimeException e) {
        insertLsn = -1; // the status shows the capture's error, if any; a sample is no reason to fail
      }
      retainedWal = source.retainedWalBytes();
    }

    synchronized SourceStatus status() {
      CaptureRunner r = runner;
      long committed = committedLsn();
      while (!insertSamples.isEmpty() && insertSamples.peekFirst()[0] <= committed) {
        insertSamples.removeFirst();
      }
      // lag: how long ago the source was at the oldest position not yet committed in the warehouse
      double lag = insertSamples.isEmpty() ? 0 : (System.currentTimeMillis() - insertSamples.peekFirst()[1]) / 1000.0;
      Checkpoint cp = r == null ? null : r.lastCheckpoint();
      return new SourceStatus(source.name(), r != null && error == null && !stopped, lag,
          insertLsn < 0 || committed < 0 ? -1 : Math.max(0, insertLsn - committed), eventsPerSecond, events(),
          cp == null ? null : cp.committedAt().toInstant(), cp == null ? -1 : cp.batchSeq(), lsn(committed), retainedWal, error);
    }
  }
}
