package org.kaoping.dashboards.report;

/** A report cannot be written: the period has no published scores, the font lacks a glyph, the database refused. */
public final class ReportException extends RuntimeException {
  ReportException(String message) {
    super(message);
  }

  ReportException(String message, Throwable cause) {
    super(message, cause);
  }
}
