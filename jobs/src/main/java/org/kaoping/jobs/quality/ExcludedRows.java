package org.kaoping.jobs.quality;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Type;
import org.kaoping.jobs.quality.Checksum.HashedRow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The rows of a source table set aside as EXCLUDED in {@code ops.rejected_rows} (one per record; a build before rules had
 * dispositions: all), from their JSON images.
 */
final class ExcludedRows implements ReconciledSide {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Table rejects;
  private final ReconciledTable spec;
  private final List<Type> types;

  ExcludedRows(Table rejects, ReconciledTable spec, List<Type> types) {
    this.rejects = rejects;
    this.spec = spec;
    this.types = types;
  }

  @Override
  public void read(KeyRange range, Consumer<HashedRow> into) {
    boolean hasDisposition = rejects.schema().findField("disposition") != null;
    Set<String> seen = new HashSet<>(); // the records of this range only: a rejects table is small beside its model
    try (CloseableIterable<Record> rows = IcebergGenerics.read(rejects).where(Expressions.equal("model", spec.stagingTable()))
        .build()) {
      for (Record r : rows) {
        if (!spec.stagingTable().equals(r.getField("model"))
            || (hasDisposition && !"EXCLUDED".equals(r.getField("disposition")))) {
          continue;
        }
        JsonNode record = JSON.readTree((String) r.getField("record_json"));
        if (spec.presentIf() != null && value(record.get(spec.presentIf())) == null) {
          continue;
        }
        HashedRow row = Checksum.row(types, spec.stagingColumns().stream().map(c -> value(record.get(c))).toList(),
            spec.keyColumns());
        if (range.contains(row.position()) && seen.add((String) r.getField("record_key"))) {
          into.accept(row);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Object value(JsonNode n) {
    return n == null || n.isNull() ? null : n.isNumber() ? n.decimalValue() : n.asText();
  }
}
