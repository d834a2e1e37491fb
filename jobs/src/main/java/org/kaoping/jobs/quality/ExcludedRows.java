package org.kaoping.jobs.quality;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
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
  private List<HashedRow> rows;

  ExcludedRows(Table rejects, ReconciledTable spec, List<Type> types) {
    this.rejects = rejects;
    this.spec = spec;
    this.types = types;
  }

  @Override
  public void read(KeyRange range, Consumer<HashedRow> into) {
    for (HashedRow row : rows()) {
      if (range.contains(row.position())) {
        into.accept(row);
      }
    }
  }

  /**
   * The excluded records, each reduced once (a comparison reads its ranges again and again; a rejects table is small
   * beside its model, so its reduced rows are kept rather than re-read and re-parsed per range).
   */
  private List<HashedRow> rows() {
    if (rows != null) {
      return rows;
    }
    boolean hasDisposition = rejects.schema().findField("disposition") != null;
    Set<String> seen = new HashSet<>(); // one row per record, whatever number of rules it broke
    List<HashedRow> out = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(rejects).where(Expressions.equal("model", spec.stagingTable()))
        .build()) {
      for (Record r : records) {
        if (!spec.stagingTable().equals(r.getField("model"))
            || (hasDisposition && !"EXCLUDED".equals(r.getField("disposition")))) {
          continue;
        }
        JsonNode record = JSON.readTree((String) r.getField("record_json"));
        if ((spec.presentIf() != null && value(record.get(spec.presentIf())) == null)
            || !seen.add((String) r.getField("record_key"))) {
          continue;
        }
        out.add(Checksum.row(types, spec.stagingColumns().stream().map(c -> value(record.get(c))).toList(), spec.keyColumns()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    rows = out;
    return rows;
  }

  private static Object value(JsonNode n) {
    return n == null || n.isNull() ? null : n.isNumber() ? n.decimalValue() : n.asText();
  }
}
