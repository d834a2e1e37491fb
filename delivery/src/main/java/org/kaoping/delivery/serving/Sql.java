package org.kaoping.delivery.serving;

/** Quoting for the SQL the serving database is sent. */
final class Sql {
  private Sql() {}

  /** A quoted identifier. */
  static String q(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  /** A string literal. */
  static String text(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
