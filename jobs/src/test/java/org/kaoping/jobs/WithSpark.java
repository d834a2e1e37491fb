package org.kaoping.jobs;

import java.nio.file.Path;
import java.util.Map;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** A test class with its own Spark session (local[2]) over an Iceberg warehouse in a temporary directory. */
abstract class WithSpark {
  @TempDir static Path dir;
  static SparkSession spark;

  static Map<String, String> catalog() {
    return Map.of("type", "hadoop", "warehouse", dir.toString());
  }

  @BeforeAll
  static void startSpark() {
    spark = SparkSessions.create("local[2]", catalog(), Map.of());
  }

  @AfterAll
  static void stopSpark() throws Exception {
    spark.close();
  }
}
