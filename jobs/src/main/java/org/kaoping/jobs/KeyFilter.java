package org.kaoping.jobs;

import java.util.List;
import java.util.stream.Collectors;

import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.util.sketch.BloomFilter;

/**
 * A pre-filter that lets through the rows of a large table whose key may be among a few changed keys (a Bloom
 * filter of the keys' hashes, 1 % false positives): put beside the key's equality in a {@code MERGE}'s condition,
 * it drops nearly every row of the target before the join, so that a day's merge shuffles the day's rows, not the
 * table. A merge whose source has rows to insert joins as a right outer join, which cannot broadcast the source.
 */
final class KeyFilter {
  private static final double FALSE_POSITIVES = 0.01;

  private KeyFilter() {}

  /**
   * Registers {@code function} as the filter of the keys in {@code keys} (the columns {@code columns}); returns the
   * SQL condition applying it to those columns of the rows aliased {@code alias}. A null key part passes; with no
   * keys, nothing does.
   */
  static String register(SparkSession spark, String function, Dataset<Row> keys, List<String> columns, String alias) {
    Dataset<Long> hashes = keys.selectExpr(hash("", columns) + " AS h")
        .map((MapFunction<Row, Long>) r -> r.getLong(0), Encoders.LONG()).localCheckpoint();
    long count = hashes.count();
    spark.sql("DROP TEMPORARY FUNCTION IF EXISTS " + function); // the previous merge's: replacing it warns
    if (count == 0) {
      return "FALSE"; // no key, no match (and Spark builds no Bloom filter from no rows)
    }
    BloomFilter filter = hashes.stat().bloomFilter("value", count, FALSE_POSITIVES);
    spark.udf().register(function, (UDF1<Long, Boolean>) h -> h == null || filter.mightContainLong(h),
        DataTypes.BooleanType);
    String anyNull = columns.stream().map(c -> alias + "." + c + " IS NULL").collect(Collectors.joining(" OR "));
    return "(" + anyNull + " OR " + function + "(" + hash(alias + ".", columns) + "))";
  }

  private static String hash(String prefix, List<String> columns) {
    return "xxhash64(" + columns.stream().map(c -> prefix + c).collect(Collectors.joining(", ")) + ")";
  }
}
