package org.kaoping.jobs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The order models are built in, derived from what each reads: every model after the models it reads; among models
 * ready at the same time, the first by {@code ties}, so the order never depends on how the models were listed.
 */
final class BuildOrder {
  private BuildOrder() {}

  /**
   * @param reads model table → what it reads (tables that are not models are ignored: raw views, by-products)
   * @return the model tables in build order
   * @throws IllegalArgumentException naming the models of a cycle
   */
  static List<String> of(Map<String, ? extends Set<String>> reads, Comparator<String> ties) {
    Map<String, Set<String>> readBy = new HashMap<>();
    Map<String, Integer> unbuiltInputs = new HashMap<>();
    for (Map.Entry<String, ? extends Set<String>> e : reads.entrySet()) {
      Set<String> models = inputs(e.getKey(), reads);
      unbuiltInputs.put(e.getKey(), models.size());
      models.forEach(m -> readBy.computeIfAbsent(m, k -> new TreeSet<>()).add(e.getKey()));
    }
    PriorityQueue<String> ready = new PriorityQueue<>(ties);
    unbuiltInputs.forEach((table, n) -> {
      if (n == 0) {
        ready.add(table);
      }
    });
    List<String> order = new ArrayList<>();
    while (!ready.isEmpty()) {
      String next = ready.poll();
      order.add(next);
      for (String reader : readBy.getOrDefault(next, Set.of())) {
        if (unbuiltInputs.merge(reader, -1, Integer::sum) == 0) {
          ready.add(reader);
        }
      }
    }
    if (order.size() < reads.size()) {
      SortedSet<String> left = new TreeSet<>(reads.keySet());
      order.forEach(left::remove);
      throw new IllegalArgumentException(cycle(left.first(), left, reads));
    }
    return List.copyOf(order);
  }

  private static Set<String> inputs(String table, Map<String, ? extends Set<String>> reads) {
    return reads.get(table).stream().filter(reads::containsKey).collect(Collectors.toCollection(TreeSet::new));
  }

  /** A sentence naming one cycle among the models {@code left} (each of which reads another of them, directly or not). */
  private static String cycle(String start, Set<String> left, Map<String, ? extends Set<String>> reads) {
    LinkedHashSet<String> path = new LinkedHashSet<>();
    String at = start;
    while (path.add(at)) {
      at = inputs(at, reads).stream().filter(left::contains).findFirst().orElseThrow();
    }
    List<String> loop = new ArrayList<>(path);
    loop = new ArrayList<>(loop.subList(loop.indexOf(at), loop.size()));
    loop.add(at);
    List<String> steps = new ArrayList<>();
    for (int i = 0; i + 1 < loop.size(); i++) {
      steps.add(loop.get(i) + " reads " + loop.get(i + 1));
    }
    return "Models read each other in a cycle, so none of them can be built first: " + String.join(", ", steps) + ".";
  }
}
