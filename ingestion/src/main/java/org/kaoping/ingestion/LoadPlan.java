package org.kaoping.ingestion;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How the initial load cuts one source table into chunks: ranges of its integer key ({@code column}
 * null: the whole table is one chunk), and the block of {@code event_seq} values each chunk writes.
 *
 * <p>Kept as a property of the raw table before any chunk is read, so a load resumed after a kill
 * cuts the table exactly as before and a chunk is never read twice. Chunk {@code i} covers
 * {@code bounds[i-1] <= key < bounds[i]}, the first and last open-ended (rows inserted meanwhile fall
 * in them). Its events are numbered {@code seqBase + i * SEQ_SPAN + 1 …}: chunks commit in any order,
 * yet every event keeps one number, below those of the streamed events that follow the load.
 */
record LoadPlan(long seqBase, String column, List<Long> bounds) {
  /** Raw table property holding the plan. */
  static final String PROPERTY = "kaoping.initial-load.plan";
  /** event_seq values reserved per chunk: far more rows than a chunk ever holds. */
  static final long SEQ_SPAN = 1L << 32;

  LoadPlan {
    bounds = List.copyOf(bounds);
  }

  /** Cuts the key range {@code [min, max]} of about {@code rows} rows into chunks of about {@code chunkRows}. */
  static LoadPlan cut(long seqBase, String column, long min, long max, long rows, int chunkRows) {
    if (column == null || rows <= chunkRows || max <= min) {
      return new LoadPlan(seqBase, column, List.of());
    }
    double span = (double) max - min + 1;
    long chunks = Math.min(100_000, (rows + chunkRows - 1) / chunkRows);
    long width = Math.max(1, (long) Math.ceil(span / chunks));
    List<Long> bounds = new ArrayList<>();
    for (long b = min + width; b <= max && b > min; b += width) {
      bounds.add(b);
    }
    return new LoadPlan(seqBase, column, bounds);
  }

  int chunks() {
    return bounds.size() + 1;
  }

  /** Inclusive lower key bound of chunk {@code i}; null for the first. */
  Long lower(int i) {
    return i == 0 ? null : bounds.get(i - 1);
  }

  /** Exclusive upper key bound of chunk {@code i}; null for the last. */
  Long upper(int i) {
    return i == bounds.size() ? null : bounds.get(i);
  }

  /** The chunk holding {@code key}. */
  int chunkOf(long key) {
    int at = Collections.binarySearch(bounds, key);
    return at >= 0 ? at + 1 : -at - 1;
  }

  /** The event_seq of chunk {@code i}'s first row. */
  long firstSeq(int i) {
    return seqBase + i * SEQ_SPAN + 1;
  }

  /** The last event_seq this plan reserves: the next table's plan starts after it. */
  long endSeq() {
    return seqBase + chunks() * SEQ_SPAN;
  }

  String format() {
    StringBuilder b = new StringBuilder().append(seqBase).append(';').append(column == null ? "" : column).append(';');
    for (int i = 0; i < bounds.size(); i++) {
      b.append(i == 0 ? "" : ",").append(bounds.get(i));
    }
    return b.toString();
  }

  static LoadPlan parse(String text) {
    String[] parts = text.split(";", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("Malformed initial-load plan '" + text + "' (" + PROPERTY + ")");
    }
    List<Long> bounds = new ArrayList<>();
    for (String b : parts[2].isEmpty() ? new String[0] : parts[2].split(",")) {
      bounds.add(Long.parseLong(b));
    }
    return new LoadPlan(Long.parseLong(parts[0]), parts[1].isEmpty() ? null : parts[1], bounds);
  }
}
