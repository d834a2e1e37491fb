package org.kaoping.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Enforces a model's declared key (unique, not null) and its checks on what was just built. */
final class ModelChecks {
  private static final int SHOWN = 5;

  private ModelChecks() {}

  /** @throws ModelCheckException naming the model, the rule and up to five offending rows */
  static void enforce(SparkSession spark, SqlModel model, String table) {
    List<String> failures = new ArrayList<>();
    String keyCols = String.join(", ", model.key());
    String nullKey = model.key().stream().map(k -> k + " IS NULL").collect(Collectors.joining(" OR "));
    Dataset<Row> duplicates = spark.sql("SELECT " + keyCols + ", count(*) AS copies FROM " + table
        + " GROUP BY " + keyCols + " HAVING count(*) > 1 OR " + nullKey);
    describe(duplicates, "key (" + keyCols + ") must be unique and not null", failures);
    for (String check : model.checks()) {
      // the check sits in the select list so that it may use window functions (e.g. shares summing to 1)
      Dataset<Row> broken = spark.sql("SELECT " + keyCols + " FROM (SELECT *, (" + check + ") AS check_holds FROM " + table
          + ") WHERE NOT coalesce(check_holds, true)");
      describe(broken, "check '" + check + "' must hold", failures);
    }
    if (!failures.isEmpty()) {
      throw new ModelCheckException(model.table() + " failed its checks:\n  " + String.join("\n  ", failures));
    }
  }

  private static void describe(Dataset<Row> offending, String rule, List<String> failures) {
    List<Row> rows = offending.limit(SHOWN + 1).collectAsList();
    if (rows.isEmpty()) {
      return;
    }
    String shown = rows.stream().limit(SHOWN).map(Row::toString).collect(Collectors.joining(", "));
    failures.add(rule + "; offending rows: " + shown + (rows.size() > SHOWN ? ", …" : ""));
  }

  /** A model whose output broke its declared key or checks. */
  static final class ModelCheckException extends RuntimeException {
    ModelCheckException(String message) {
      super(message);
    }
  }
}
