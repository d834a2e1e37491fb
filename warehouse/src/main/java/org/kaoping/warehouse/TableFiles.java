package org.kaoping.warehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;

/** Writes generic records into a new Parquet data file of an unpartitioned table (not yet committed). */
public final class TableFiles {
  private static final AtomicInteger TASK_IDS = new AtomicInteger();

  private TableFiles() {}

  /** An open data file; {@link #finish} closes it and returns it for an append. */
  public static final class Writer {
    private final DataWriter<Record> writer;

    private Writer(DataWriter<Record> writer) {
      this.writer = writer;
    }

    public void write(Record record) {
      writer.write(record);
    }

    public DataFile finish() {
      try {
        writer.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return writer.toDataFile();
    }

    /** Closes without returning the file (it stays an orphan, never referenced by the table). */
    public void abandon() {
      try {
        writer.close();
      } catch (IOException | RuntimeException e) {
        // the file is unreferenced either way
      }
    }
  }

  public static Writer writer(Table table) {
    GenericFileWriterFactory factory = new GenericFileWriterFactory.Builder(table)
        .dataFileFormat(FileFormat.PARQUET).dataSchema(table.schema()).build();
    OutputFileFactory files = OutputFileFactory.builderFor(table, 1, TASK_IDS.incrementAndGet())
        .format(FileFormat.PARQUET).build();
    return new Writer(factory.newDataWriter(files.newOutputFile(), table.spec(), null));
  }
}
