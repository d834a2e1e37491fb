package org.kaoping.app;

import java.util.function.Consumer;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and Ctrl-C ask the work in hand to stop cleanly, before the JVM starts shutting down.
 *
 * <p>Not a shutdown hook: the JVM runs all hooks at once, Iceberg's among them, and that one closes
 * the worker pool a commit in progress still needs. A second signal stops at once (the next run rolls
 * back a batch left without its checkpoint).
 */
public final class GracefulStop implements AutoCloseable {
  private static final String[] SIGNALS = {"TERM", "INT"};

  private final SignalHandler[] previous = new SignalHandler[SIGNALS.length];
  private volatile boolean requested;

  private GracefulStop(Runnable onStop, Consumer<String> say) {
    for (int i = 0; i < SIGNALS.length; i++) {
      String name = SIGNALS[i];
      previous[i] = Signal.handle(new Signal(name), signal -> {
        if (requested) {
          say.accept("second SIG" + name + ": stopping at once");
          Runtime.getRuntime().halt(128 + signal.getNumber());
        }
        requested = true;
        say.accept("SIG" + name + " received: finishing the batch in hand, then stopping (send it again to stop at once)");
        onStop.run();
      });
    }
  }

  /** Routes SIGTERM and SIGINT to {@code onStop} until closed. */
  public static GracefulStop install(Runnable onStop, Consumer<String> say) {
    return new GracefulStop(onStop, say);
  }

  /** True once a signal asked to stop: the command must not report the work as complete. */
  public boolean requested() {
    return requested;
  }

  @Override
  public void close() {
    for (int i = 0; i < SIGNALS.length; i++) {
      Signal.handle(new Signal(SIGNALS[i]), previous[i]);
    }
  }
}
