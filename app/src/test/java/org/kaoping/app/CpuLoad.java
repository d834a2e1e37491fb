package org.kaoping.app;

import java.util.ArrayList;
import java.util.List;

/** Busy threads that keep every core occupied while a test runs, so a race shows up as a failure, not as luck. */
final class CpuLoad implements AutoCloseable {
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;
  private volatile long sink;

  private CpuLoad(int threadCount) {
    for (int i = 0; i < threadCount; i++) {
      Thread t = new Thread(() -> {
        long x = 0;
        while (running) {
          x = x * 6364136223846793005L + 1442695040888963407L;
        }
        sink = x;
      }, "cpu-load-" + i);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
  }

  /** One busy thread per available core. */
  static CpuLoad onEveryCore() {
    return new CpuLoad(Runtime.getRuntime().availableProcessors());
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    for (Thread t : threads) {
      t.join();
    }
  }
}
