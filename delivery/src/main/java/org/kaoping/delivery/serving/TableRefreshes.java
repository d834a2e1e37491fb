package org.kaoping.delivery.serving;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

import org.kaoping.delivery.serving.ServingPublisher.Target;
import org.kaoping.warehouse.WarehouseCatalog;

/**
 * The refreshes of a publication's tables, {@link #AT_ONCE} at a time, each on a serving connection of its own; their
 * outcomes are taken in table order. A small table's refresh is mostly waiting (a Spark job's start, the server's DDL and
 * index builds), so several overlap even on two cores, where one after the other they added up to most of a publish.
 */
final class TableRefreshes implements AutoCloseable {
  /** Tables refreshed at once; more would only queue their copies behind each other's on two cores. */
  static final int AT_ONCE = 3;

  private final ExecutorService pool;
  private final List<Future<TableRefresh.Outcome>> outcomes = new ArrayList<>();

  /** Starts refreshing {@code tables} as publication {@code id}; {@code previous} says what the current one holds of each. */
  TableRefreshes(List<PublishedTable> tables, Function<PublishedTable, TableRefresh.Previous> previous, long id, boolean full,
      Target target, WarehouseCatalog warehouse, Consumer<String> progress) {
    AtomicInteger threads = new AtomicInteger();
    pool = Executors.newFixedThreadPool(AT_ONCE, r -> {
      Thread t = new Thread(r, "kaoping-publish-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    for (PublishedTable t : tables) {
      TableRefresh.Previous was = previous.apply(t);
      outcomes.add(pool.submit(() -> {
        try (Connection c = ServingPublisher.connect(target)) {
          return new TableRefresh(new VersionedStore(c, progress), target, warehouse).refresh(t, id, full, was);
        }
      }));
    }
    pool.shutdown();
  }

  /** The outcome of the {@code i}-th table's refresh, once it has ended; its failure rethrown as it was thrown. */
  TableRefresh.Outcome outcome(int i) throws SQLException {
    try {
      return outcomes.get(i).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while publishing", e);
    } catch (ExecutionException e) {
      throw TableRefreshes.<RuntimeException>rethrow(e.getCause());
    }
  }

  /** Cancels the refreshes not yet started and waits for those running: nothing of this publish writes after it ends. */
  @Override
  public void close() {
    outcomes.forEach(f -> f.cancel(false));
    boolean interrupted = false;
    while (true) {
      try {
        if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true; // a copy cannot be abandoned halfway: wait, then pass the interrupt on
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Spark's exceptions are checked in Java's eyes but undeclared by its API: pass them on unchanged, as a sequential run did. */
  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E rethrow(Throwable t) throws E {
    throw (E) t;
  }
}
