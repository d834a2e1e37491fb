package org.kaoping.delivery.serving;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lpad;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.year;

import java.time.YearMonth;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.StructLike;
import org.apache.spark.sql.Column;

/**
 * How a published table is cut into serving partitions ({@code pub_part}): by period, by month of work, by calendar year,
 * by month, or whole. It labels rows in Spark, selects labelled partitions with filters Iceberg can prune files by, and
 * names the label of an Iceberg data file when the table's Iceberg partitioning is the same cut.
 */
enum PartitionKind {
  PERIOD, WORK_MONTH, CALENDAR_YEAR, MONTH, WHOLE;

  private static final String NO_MONTH = "none";
  private static final YearMonth EPOCH_MONTH = YearMonth.of(1970, 1);

  /** The kind of a table with these columns. */
  static PartitionKind of(List<String> columns) {
    if (columns.contains("period_type") && columns.contains("period")) {
      return PERIOD;
    }
    if (columns.contains("work_date")) {
      return WORK_MONTH;
    }
    if (columns.contains("calendar_date")) {
      return CALENDAR_YEAR;
    }
    return columns.contains("month") ? MONTH : WHOLE;
  }

  /** A row's partition label: {@code MONTH:2025-10}, {@code 2025-10}, {@code 2025}, or {@code *}. */
  Column label() {
    return switch (this) {
      case PERIOD -> concat_ws(":", col("period_type"), col("period"));
      case WORK_MONTH -> coalesce(concat(yyyy(col("work_date")), lit("-"), lpad(month(col("work_date")).cast("string"), 2, "0")),
          lit(NO_MONTH));
      case CALENDAR_YEAR -> yyyy(col("calendar_date"));
      case MONTH -> coalesce(substring(col("month").cast("string"), 1, 7), lit(NO_MONTH));
      case WHOLE -> lit("*");
    };
  }

  /**
   * A date's year in four digits, as {@code date_format(d, 'yyyy')} gives it for the years of Common Era, from the date's
   * fields: the label is computed for every row, and a date formatter per row cost a tenth of a publish's copy.
   */
  private static Column yyyy(Column date) {
    return lpad(year(date).cast("string"), 4, "0");
  }

  /** Rows in the partitions labelled {@code labels}; by period and month of work also a filter Iceberg prunes files with. */
  Column within(Collection<String> labels) {
    Column exact = label().isin(labels.toArray());
    return switch (this) {
      case PERIOD -> col("period_type").isin(labels.stream().map(l -> l.substring(0, l.indexOf(':'))).distinct().toArray())
          .and(col("period").isin(labels.stream().map(l -> l.substring(l.indexOf(':') + 1)).distinct().toArray())).and(exact);
      case WORK_MONTH -> labels.stream().map(PartitionKind::workMonth).reduce(Column::or).orElse(lit(false)).and(exact);
      default -> exact;
    };
  }

  private static Column workMonth(String label) {
    if (label.equals(NO_MONTH)) {
      return col("work_date").isNull();
    }
    YearMonth m = YearMonth.parse(label);
    return col("work_date").geq(lit(java.sql.Date.valueOf(m.atDay(1))))
        .and(col("work_date").lt(lit(java.sql.Date.valueOf(m.plusMonths(1).atDay(1)))));
  }

  /**
   * The label of every row of a data or delete file with partition {@code partition} of {@code spec}, when the
   * Iceberg partitioning is this kind's cut (identity on period type and period; months of the work date); empty
   * otherwise, when the file's rows may belong to any partition.
   */
  Optional<String> labelOf(PartitionSpec spec, StructLike partition) {
    List<PartitionField> fields = spec.fields();
    if (this == PERIOD && fields.size() == 2 && is(spec, fields.get(0), "identity", "period_type")
        && is(spec, fields.get(1), "identity", "period")) {
      return Optional.of(partition.get(0, Object.class) + ":" + partition.get(1, Object.class));
    }
    if (this == WORK_MONTH && fields.size() == 1 && is(spec, fields.get(0), "month", "work_date")) {
      Integer months = partition.get(0, Integer.class);
      return Optional.of(months == null ? NO_MONTH : EPOCH_MONTH.plusMonths(months).toString());
    }
    return Optional.empty();
  }

  private static boolean is(PartitionSpec spec, PartitionField field, String transform, String column) {
    return field.transform().toString().equals(transform) && column.equals(spec.schema().findColumnName(field.sourceId()));
  }
}
