package org.kaoping.app.service;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.kaoping.jobs.scoring.PeriodType;

/** A validated {@code POST /api/runs} body. */
public record RunRequest(RunKind kind, boolean full, String period, boolean provisional, String unit, String requestKey) {
  /** 2025, 2025-H1, 2025-Q3 or 2025-09. */
  static final String PERIOD_PATTERN = PeriodType.LABEL_PATTERN;
  /** The caller's name for what it asked (Airflow: dag/run/step), so it can find the run again; Airflow run ids fit. */
  static final String REQUEST_KEY_PATTERN = "[A-Za-z0-9._:+/@~-]{1,200}";
  private static final Map<RunKind, Set<String>> FIELDS = Map.of(
      RunKind.INGEST, Set.of("kind", "requestKey"),
      RunKind.BUILD, Set.of("kind", "full", "period", "requestKey"),
      RunKind.PUBLISH, Set.of("kind", "full", "requestKey"),
      RunKind.BUILD_AND_PUBLISH, Set.of("kind", "full", "requestKey"),
      RunKind.FEED, Set.of("kind", "period", "provisional", "requestKey"),
      RunKind.REPORT, Set.of("kind", "period", "unit", "requestKey"),
      RunKind.REMIND, Set.of("kind", "requestKey"));

  /** A bad request body: the message and the field it is about. */
  static final class Invalid extends RuntimeException {
    final String field;

    Invalid(String field, String message) {
      super(message);
      this.field = field;
    }
  }

  /** The same request as a run of another kind (a build-and-publish run's two steps). */
  RunRequest as(RunKind other) {
    return new RunRequest(other, full, period, provisional, unit, requestKey);
  }

  /** The request of a run started by the service's own schedule. */
  public static RunRequest of(RunKind kind) {
    return new RunRequest(kind, false, null, false, null, null);
  }

  /**
   * Reads and checks a body.
   *
   * @throws Invalid naming the first field that is missing, unknown to the kind or of the wrong type
   */
  static RunRequest parse(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new Invalid("kind", "the body must be a JSON object with at least \"kind\"");
    }
    JsonNode k = body.get("kind");
    if (k == null || !k.isTextual()) {
      throw new Invalid("kind", "\"kind\" is required: one of " + RunKind.apiNames());
    }
    RunKind kind = RunKind.parse(k.asText()).orElseThrow(() -> new Invalid("kind",
        "\"kind\" must be one of " + RunKind.apiNames() + ", was '" + k.asText() + "'"));
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.get(kind).contains(f)) {
        throw new Invalid(f, "field \"" + f + "\" does not apply to a " + kind.apiName() + " run (it takes "
            + String.join(", ", FIELDS.get(kind).stream().sorted().toList()) + ")");
      }
    }
    String period = text(body, "period");
    if (period != null && !period.matches(PERIOD_PATTERN)) {
      throw new Invalid("period", "\"period\" must be a year, half-year, quarter or month like 2025, 2025-H1, 2025-Q3 or"
          + " 2025-09, was '" + period + "'");
    }
    String requestKey = text(body, "requestKey");
    if (requestKey != null && !requestKey.matches(REQUEST_KEY_PATTERN)) {
      throw new Invalid("requestKey", "\"requestKey\" must be 1 to 200 characters of letters, digits and . _ : + / @ ~ -, was '"
          + requestKey + "'");
    }
    return new RunRequest(kind, bool(body, "full"), period, bool(body, "provisional"), text(body, "unit"), requestKey);
  }

  private static boolean bool(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return false;
    }
    if (!n.isBoolean()) {
      throw new Invalid(field, "\"" + field + "\" must be true or false");
    }
    return n.asBoolean();
  }

  private static String text(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual() || n.asText().isBlank()) {
      throw new Invalid(field, "\"" + field + "\" must be a non-empty string");
    }
    return n.asText();
  }

  /** The parameters as the run object shows them. */
  Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    Set<String> fields = FIELDS.get(kind);
    if (fields.contains("full")) {
      p.put("full", full);
    }
    if (fields.contains("period")) {
      p.put("period", period);
    }
    if (fields.contains("provisional")) {
      p.put("provisional", provisional);
    }
    if (fields.contains("unit")) {
      p.put("unit", unit);
    }
    return p;
  }
}
