package org.kaoping.app.service;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The service's runs, kept as JSON lines in {@code <home>/service/runs.jsonl}: every change of a run
 * appends its whole object, the last line of an id wins. So the list survives a restart, and a line
 * torn by a crash costs only that change.
 */
final class RunStore {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Map<String, Run> runs = new LinkedHashMap<>();

  private RunStore(Path file) {
    this.file = file;
  }

  /** Opens the log in {@code dir}; a run it left {@code running} (the service died under it) becomes failed. */
  static RunStore open(Path dir) {
    RunStore store = new RunStore(dir.resolve("runs.jsonl"));
    try {
      Files.createDirectories(dir);
      if (Files.exists(store.file)) {
        for (String line : Files.readAllLines(store.file, StandardCharsets.UTF_8)) {
          if (!line.isBlank()) {
            try {
              Run r = Run.fromJson(JSON.readTree(line));
              store.runs.put(r.id(), r);
            } catch (IOException | RuntimeException e) {
              // a line torn by a crash: the run's previous line stands
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the service's run log " + store.file + ": " + e.getMessage(), e);
    }
    for (Run r : List.copyOf(store.runs.values())) {
      if (r.state() == Run.State.RUNNING) {
        r.failed(Run.STOPPED_WHILE_RUNNING);
        store.save(r);
      }
    }
    return store;
  }

  /** Records the run's current state. */
  synchronized void save(Run run) {
    runs.put(run.id(), run);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND)) {
      w.write(JSON.writeValueAsString(run.toMap()));
      w.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the service's run log " + file + ": " + e.getMessage(), e);
    }
  }

  synchronized Run get(String id) {
    return runs.get(id);
  }

  synchronized int size() {
    return runs.size();
  }

  /** Runs newest first, optionally of one kind and state. */
  synchronized List<Run> list(RunKind kind, Run.State state, int limit) {
    return list(kind, state, null, limit);
  }

  /** Runs newest first, optionally of one kind, state and request key. */
  synchronized List<Run> list(RunKind kind, Run.State state, String requestKey, int limit) {
    List<Run> all = new ArrayList<>(runs.values());
    // instants, not their text: Instant.toString drops a zero fraction, which sorts after any fraction
    all.sort(Comparator.comparing(Run::submittedAt).thenComparing(Run::id).reversed());
    return all.stream().filter(r -> kind == null || r.kind() == kind).filter(r -> state == null || r.state() == state)
        .filter(r -> requestKey == null || requestKey.equals(r.requestKey())).limit(limit).toList();
  }

  /** The latest run of {@code kind} in {@code state}, if any. */
  synchronized Run latest(RunKind kind, Run.State state) {
    List<Run> l = list(kind, state, 1);
    return l.isEmpty() ? null : l.get(0);
  }
}
