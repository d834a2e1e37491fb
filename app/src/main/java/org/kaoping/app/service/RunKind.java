package org.kaoping.app.service;

import java.util.Locale;
import java.util.Optional;

/** What a run does; one run of each kind at a time. */
public enum RunKind {
  /** Catch up: wait until the running capture has committed past each source's current WAL insert position. */
  INGEST,
  /** Rebuild staging and the marts (incremental unless full). */
  BUILD,
  /** Publish the latest build to the serving database. */
  PUBLISH,
  /** A build, then the publish of that build: what makes the dashboards change. */
  BUILD_AND_PUBLISH,
  /** Deliver the cadre-management feed. */
  FEED,
  /** Render the PDF reports. */
  REPORT,
  /** Deliver the new reminders (bells, yellow and red cards). */
  REMIND;

  /** The name in the API: lower case. */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Every kind's API name, for the sentences that list them. */
  static String apiNames() {
    return String.join(", ", java.util.Arrays.stream(values()).map(RunKind::apiName).toList());
  }

  static Optional<RunKind> parse(String s) {
    for (RunKind k : values()) {
      if (k.apiName().equals(s)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
