package org.kaoping.app;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/** The parts {@code kaoping up} started, stopped in reverse order (each part's failure to stop is reported, not fatal). */
final class StartedParts implements AutoCloseable {
  private record Part(String name, AutoCloseable handle) {}

  private final Deque<Part> parts = new ArrayDeque<>();
  private final Consumer<String> say;

  StartedParts(Consumer<String> say) {
    this.say = say;
  }

  /** Records a started part so that closing stops it. */
  <T extends AutoCloseable> T add(String name, T handle) {
    parts.push(new Part(name, handle));
    return handle;
  }

  @Override
  public void close() {
    while (!parts.isEmpty()) {
      Part p = parts.pop();
      say.accept("Stopping " + p.name());
      try {
        p.handle().close();
      } catch (Exception e) {
        say.accept("could not stop " + p.name() + " cleanly: " + e.getMessage());
      }
    }
  }
}
