package org.kaoping.app.service;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** One run of the service: its request, state, timings, last progress line, error and result. Thread-safe. */
public final class Run {
  /** Where a run is. */
  public enum State { RUNNING, SUCCEEDED, FAILED }

  static final String STOPPED_WHILE_RUNNING = "the service stopped while it ran";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String id;
  private final RunKind kind;
  private final Map<String, Object> parameters;
  private final Instant submittedAt;
  private final String requestKey;
  private State state = State.RUNNING;
  private Instant startedAt;
  private Instant finishedAt;
  private String progress;
  private String error;
  private Map<String, Object> result = Map.of();

  Run(String id, RunKind kind, Map<String, Object> parameters, Instant submittedAt, String requestKey) {
    this.id = id;
    this.kind = kind;
    this.parameters = parameters;
    this.submittedAt = submittedAt;
    this.requestKey = requestKey;
  }

  public String id() {
    return id;
  }

  public RunKind kind() {
    return kind;
  }

  public synchronized State state() {
    return state;
  }

  public Map<String, Object> parameters() {
    return parameters;
  }

  Instant submittedAt() {
    return submittedAt;
  }

  /** The caller's key of the request (null when none was given). */
  public String requestKey() {
    return requestKey;
  }

  synchronized void started() {
    startedAt = now();
  }

  synchronized void progress(String line) {
    progress = line;
  }

  synchronized void succeeded(Map<String, Object> runResult) {
    result = runResult;
    finish(State.SUCCEEDED, null);
  }

  synchronized void failed(String sentence) {
    finish(State.FAILED, sentence);
  }

  private void finish(State end, String sentence) {
    state = end;
    error = sentence;
    finishedAt = now();
  }

  public synchronized Instant finishedAt() {
    return finishedAt;
  }

  public synchronized Instant startedAt() {
    return startedAt;
  }

  public synchronized Map<String, Object> result() {
    return result;
  }

  public synchronized String error() {
    return error;
  }

  /** Seconds from start to finish (or to now while running); null before it starts. */
  public synchronized Double durationSeconds() {
    if (startedAt == null) {
      return null;
    }
    return Duration.between(startedAt, finishedAt != null ? finishedAt : Instant.now()).toMillis() / 1000.0;
  }

  /** The run object of the API (and of the run log). */
  public synchronized Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("kind", kind.apiName());
    m.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
    m.put("parameters", parameters);
    m.put("requestKey", requestKey);
    m.put("submittedAt", iso(submittedAt));
    m.put("startedAt", iso(startedAt));
    m.put("finishedAt", iso(finishedAt));
    m.put("durationSeconds", durationSeconds());
    m.put("progress", progress);
    m.put("error", error);
    m.put("result", result);
    return m;
  }

  /** Reads a run back from its run-log line. */
  @SuppressWarnings("unchecked")
  static Run fromJson(JsonNode n) {
    Run r = new Run(n.get("id").asText(), RunKind.valueOf(n.get("kind").asText().toUpperCase(java.util.Locale.ROOT)),
        JSON.convertValue(n.get("parameters"), Map.class), instant(n.get("submittedAt")),
        n.hasNonNull("requestKey") ? n.get("requestKey").asText() : null);
    r.state = State.valueOf(n.get("state").asText().toUpperCase(java.util.Locale.ROOT));
    r.startedAt = instant(n.get("startedAt"));
    r.finishedAt = instant(n.get("finishedAt"));
    r.progress = n.hasNonNull("progress") ? n.get("progress").asText() : null;
    r.error = n.hasNonNull("error") ? n.get("error").asText() : null;
    r.result = n.hasNonNull("result") ? JSON.convertValue(n.get("result"), Map.class) : Map.of();
    return r;
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  private static String iso(Instant t) {
    return t == null ? null : t.toString();
  }

  private static Instant instant(JsonNode n) {
    return n == null || n.isNull() ? null : Instant.parse(n.asText());
  }
}
