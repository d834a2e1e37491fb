package org.kaoping.delivery.serving;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.kaoping.jobs.SqlModel;

/** One published table: where it comes from in the warehouse, its name in the serving database, its model, its rows. */
record PublishedTable(String source, String name, SqlModel model, Dataset<Row> data) {}
