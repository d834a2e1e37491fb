package org.kaoping.app.service;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The service's build schedule: builds then publishes as soon as the capture committed changes not yet built, at
 * most one build start per interval; a change waiting behind a build starts the next one when that publish ends, not
 * an interval later. Runs on its own daemon thread from {@link #start} until the service stops.
 */
final class BuildSchedule implements AutoCloseable {
  /** Pause after a failed scheduled build before the next try. */
  static final long FAILED_BUILD_PAUSE_SECONDS = 60;
  /** How often the schedule looks for newly committed changes. */
  private static final long TICK_MILLIS = 1000;

  private final Runs runs;
  private final LongSupplier eventsCommitted;
  private final long intervalNanos;
  private final BooleanSupplier stopping;
  private final Consumer<String> say;
  private final Thread thread;

  /** A schedule of one build start per {@code intervalSeconds} at most; {@code eventsCommitted} counts captured events. */
  BuildSchedule(Runs runs, LongSupplier eventsCommitted, int intervalSeconds, BooleanSupplier stopping, Consumer<String> say) {
    this.runs = runs;
    this.eventsCommitted = eventsCommitted;
    this.intervalNanos = intervalSeconds * 1_000_000_000L;
    this.stopping = stopping;
    this.say = say;
    this.thread = new Thread(this::schedule, "build-schedule");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void schedule() {
    long builtUpTo = 0;
    long lastStart = System.nanoTime() - intervalNanos;
    while (!stopping.getAsBoolean()) {
      try {
        Thread.sleep(TICK_MILLIS);
        long events = eventsCommitted.getAsLong();
        if (events <= builtUpTo || stopping.getAsBoolean() || System.nanoTime() - lastStart < intervalNanos) {
          continue;
        }
        lastStart = System.nanoTime();
        Run build = runs.submit(RunRequest.of(RunKind.BUILD));
        if (await(build) == Run.State.SUCCEEDED) {
          builtUpTo = events;
          await(runs.submit(RunRequest.of(RunKind.PUBLISH)));
        } else {
          say.accept("scheduled build " + build.id() + " failed (" + build.error() + "); trying again in "
              + FAILED_BUILD_PAUSE_SECONDS + " s");
          Thread.sleep(FAILED_BUILD_PAUSE_SECONDS * 1000L); // a failing build must not run back to back
        }
      } catch (Runs.InProgress e) {
        // an API run of the same kind is at it; the next tick looks again
      } catch (Runs.Stopping | InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        say.accept("scheduled build: " + e.getMessage());
      }
    }
  }

  private static Run.State await(Run run) throws InterruptedException {
    while (run.state() == Run.State.RUNNING) {
      Thread.sleep(200);
    }
    return run.state();
  }

  /** Stops the schedule's thread (a run it started goes on; the service's stop waits for it). */
  @Override
  public void close() {
    thread.interrupt();
  }
}
