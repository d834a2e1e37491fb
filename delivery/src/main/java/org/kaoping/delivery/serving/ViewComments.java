package org.kaoping.delivery.serving;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/** What {@code \d+} shows of a view: its grain, key and source, and each column's formula from the model's header. */
final class ViewComments {
  private ViewComments() {}

  /** Comments view {@code view} (qualified) that shows table {@code t}. */
  static void apply(Statement s, String view, PublishedTable t) throws SQLException {
    String grain = t.model().grain();
    s.execute("COMMENT ON VIEW " + view + " IS " + Sql.text(grain.substring(0, 1).toUpperCase() + grain.substring(1)
        + ". Key: " + String.join(", ", t.model().key()) + ". From " + t.source() + " in the warehouse"
        + (isMart(t) ? " (model " + t.model().resource() + ")" : "") + "."));
    Map<String, String> docs = t.model().columnDocs();
    for (String column : t.data().columns()) {
      String doc = docs.get(column);
      if (doc == null && t.model().key().contains(column)) {
        doc = "Part of the key (" + String.join(", ", t.model().key()) + ").";
      }
      if (doc != null) {
        s.execute("COMMENT ON COLUMN " + view + "." + Sql.q(column) + " IS " + Sql.text(doc));
      }
    }
    s.execute("COMMENT ON COLUMN " + view + ".publication_id IS 'The publication these rows belong to (kaoping.publication)'");
  }

  /** A mart written by a SQL model file (the operational tables' models describe them but do not build them). */
  private static boolean isMart(PublishedTable t) {
    return t.model().resource().endsWith(".sql") && !t.model().resource().startsWith("ops/");
  }
}
