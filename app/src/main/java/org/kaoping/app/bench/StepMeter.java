package org.kaoping.app.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Times one benchmark step and reads the process's peak heap and peak resident memory during it: the heap pools'
 * peaks are reset before the step, and so is the kernel's high-water mark of resident memory (Linux
 * {@code /proc/self/clear_refs}), so each step's peaks are its own.
 */
final class StepMeter {
  /** One measured step: its name, seconds, what it processed (rows or events; -1 if not counted) and its peaks. */
  record Figure(String step, double seconds, long items, String unit, long peakHeapBytes, long peakRssBytes, String note) {
    double perSecond() {
      return items < 0 || seconds <= 0 ? Double.NaN : items / seconds;
    }
  }

  /** What a measured body returns: the items it processed, and a note for the report. */
  record Outcome<T>(T value, long items, String unit, String note) {
    static <T> Outcome<T> of(T value, long items, String unit) {
      return new Outcome<>(value, items, unit, "");
    }
  }

  private final List<Figure> figures = new ArrayList<>();
  private final java.util.function.Consumer<Figure> onEach;

  /** {@code onEach}: told of each step's figure as soon as it is measured (a long run's figures survive its end). */
  StepMeter(java.util.function.Consumer<Figure> onEach) {
    this.onEach = onEach;
  }

  <T> T measure(String step, Callable<Outcome<T>> body) throws Exception {
    resetPeaks();
    long t0 = System.nanoTime();
    Outcome<T> outcome = body.call();
    double seconds = (System.nanoTime() - t0) / 1e9;
    Figure figure = new Figure(step, seconds, outcome.items(), outcome.unit(), peakHeap(), peakRss(), outcome.note());
    figures.add(figure);
    onEach.accept(figure);
    return outcome.value();
  }

  List<Figure> figures() {
    return List.copyOf(figures);
  }

  static long maxHeap() {
    return Runtime.getRuntime().maxMemory();
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5"); // 5: reset the peak resident set size (VmHWM)
    } catch (IOException | UnsupportedOperationException e) {
      // not Linux, or not allowed: the peak then counts from the process's start
    }
  }

  /** Sum of the heap pools' peaks: an upper bound of the heap in use at any one moment of the step. */
  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  private static long peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux: unknown
    }
    return -1;
  }
}
