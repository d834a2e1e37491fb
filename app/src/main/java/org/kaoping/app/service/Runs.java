package org.kaoping.app.service;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts runs on the service's own threads (a run outlives the HTTP request that asked for it), one of
 * each kind at a time, and records every change in the {@link RunStore}.
 */
public final class Runs {
  private static final Logger LOG = LoggerFactory.getLogger(Runs.class);
  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

  /** A run of this kind is already in progress. */
  static final class InProgress extends RuntimeException {
    final transient Run running;

    InProgress(Run running) {
      super("a " + running.kind().apiName() + " run is already in progress: " + running.id());
      this.running = running;
    }
  }

  /** The service is stopping: no new run starts. */
  static final class Stopping extends RuntimeException {
    Stopping() {
      super("the service is stopping and accepts no new run");
    }
  }

  private final RunStore store;
  private final Map<RunKind, RunJob> jobs = new EnumMap<>(RunKind.class);
  private final Map<RunKind, Run> running = new EnumMap<>(RunKind.class);
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "kaoping-run");
    t.setDaemon(true);
    return t;
  });
  private final AtomicInteger sequence;
  private volatile boolean stopping;

  private final Consumer<String> say;

  /** Runs of the given jobs, one per kind. */
  Runs(RunStore store, List<RunJob> jobs, Consumer<String> say) {
    this.store = store;
    this.say = say;
    jobs.forEach(j -> this.jobs.put(j.kind(), j));
    this.sequence = new AtomicInteger(store.size());
  }

  /**
   * Starts a run of the request's kind.
   *
   * @throws InProgress naming the run of that kind still in progress
   * @throws Stopping once {@link #stop} has begun
   */
  public Run submit(RunRequest request) {
    Run run;
    synchronized (running) {
      if (stopping) {
        throw new Stopping();
      }
      Run current = running.get(request.kind());
      if (current != null) {
        throw new InProgress(current);
      }
      Instant now = Instant.now();
      run = new Run(request.kind().apiName() + "-" + ID_TIME.format(now) + "-" + sequence.incrementAndGet(), request.kind(),
          request.parameters(), now, request.requestKey());
      running.put(request.kind(), run);
      store.save(run);
    }
    executor.execute(() -> execute(run, request));
    return run;
  }

  private void execute(Run run, RunRequest request) {
    run.started();
    store.save(run);
    say.accept(run.id() + ": started " + run.parameters());
    try {
      Map<String, Object> result = jobs.get(request.kind()).run(request, line -> {
        run.progress(line);
        say.accept(run.id() + ": " + line);
      });
      run.succeeded(result);
      say.accept(String.format("%s: succeeded in %.1f s %s", run.id(), run.durationSeconds(), result));
    } catch (Exception | Error e) {
      String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      run.failed(stopping && e instanceof InterruptedException ? Run.STOPPED_WHILE_RUNNING : msg);
      say.accept(run.id() + ": failed: " + run.error());
      if (e.getClass().getName().startsWith("org.kaoping.")) {
        LOG.debug("{} failed", run.id(), e);
      } else { // not one of Kaoping's own sentences: whoever reads the log needs where it came from
        LOG.warn("{} failed unexpectedly", run.id(), e);
      }
    } finally {
      synchronized (running) {
        running.remove(run.kind());
      }
      store.save(run);
    }
  }

  /** True once stopping: jobs waiting for something give up. */
  public boolean stopping() {
    return stopping;
  }

  RunStore store() {
    return store;
  }

  /** The latest run of {@code kind} in {@code state}; null if none. */
  public Run latest(RunKind kind, Run.State state) {
    return store.latest(kind, state);
  }

  /** Runs now in progress. */
  public Map<RunKind, Run> running() {
    synchronized (running) {
      return Map.copyOf(running);
    }
  }

  /**
   * Accepts no new run and lets those in progress finish for up to {@code waitSeconds}; those still
   * running then are recorded failed ("the service stopped while it ran").
   */
  void stop(long waitSeconds) throws InterruptedException {
    synchronized (running) {
      stopping = true;
    }
    executor.shutdown();
    if (!executor.awaitTermination(waitSeconds, TimeUnit.SECONDS)) {
      executor.shutdownNow();
      executor.awaitTermination(10, TimeUnit.SECONDS);
    }
    for (Run r : running().values()) {
      r.failed(Run.STOPPED_WHILE_RUNNING);
      store.save(r);
    }
  }
}
