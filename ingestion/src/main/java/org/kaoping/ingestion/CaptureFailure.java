package org.kaoping.ingestion;

import java.util.Locale;

import org.kaoping.warehouse.RootCause;

/** Turns an engine or connector failure into one sentence: the source, the cause, and what to do. */
final class CaptureFailure {
  private CaptureFailure() {}

  static String describe(SourceConnection source, String engineMessage, Throwable error) {
    String cause = RootCause.message(error);
    String lower = (cause + " " + engineMessage).toLowerCase(Locale.ROOT);
    String fix;
    if (lower.contains("replication slot") && lower.contains("is active")) {
      fix = "Another capture of this source is running (the replication slot " + source.slotName()
          + " is in use). Let it finish or stop it, then run again.";
    } else if (lower.contains("permission denied for table") || lower.contains("permission denied for schema")) {
      fix = "Grant the user what the capture reads: GRANT USAGE ON SCHEMA " + source.schemas() + " TO " + source.user()
          + "; GRANT SELECT ON ALL TABLES IN SCHEMA " + source.schemas() + " TO " + source.user() + ";";
    } else if (lower.contains("must be superuser or replication role") || lower.contains("permission denied to start")
        || lower.contains("must have replication")) {
      fix = "Grant the user replication: ALTER ROLE " + source.user() + " WITH REPLICATION;";
    } else if (lower.contains("publication") && (lower.contains("must be owner") || lower.contains("permission denied"))) {
      fix = "Let the tables' owner create the publication: CREATE PUBLICATION " + source.publicationName()
          + " FOR TABLES IN SCHEMA " + source.schemas() + ";";
    } else if (lower.contains("connection") && (lower.contains("refused") || lower.contains("terminated"))) {
      fix = "Check that the server is running and reachable (source." + source.name() + ".host/port), then run again:"
          + " the run resumes from the last committed batch.";
    } else {
      fix = "Nothing after the last committed batch was kept; fix the cause and run again"
          + " (KAOPING_DEBUG=1 shows the stack trace).";
    }
    return "Capture of source '" + source.name() + "' failed: " + cause
        + (engineMessage == null || cause.contains(engineMessage) ? "" : " (" + engineMessage + ")") + ". " + fix;
  }
}
