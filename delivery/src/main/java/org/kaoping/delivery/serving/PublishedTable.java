package org.kaoping.delivery.serving;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.kaoping.jobs.SqlModel;

/**
 * One published table: where it comes from in the warehouse, its name in the serving database, its model, its rows, and
 * the Iceberg snapshot of {@code source} they are read at (null for tables derived from several, such as the ingestion lag).
 */
record PublishedTable(String source, String name, SqlModel model, Dataset<Row> data, Long snapshot) {}
