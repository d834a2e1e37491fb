package org.kaoping.jobs.quality;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;

import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Type;
import org.kaoping.jobs.quality.Checksum.HashedRow;

/** The rows of a source table that staging holds, read by Iceberg's reader (files outside a key range skipped by their statistics). */
final class StagingRows implements ReconciledSide {
  private final Table staging;
  private final ReconciledTable spec;
  private final List<Type> types;

  StagingRows(Table staging, ReconciledTable spec, List<Type> types) {
    this.staging = staging;
    this.spec = spec;
    this.types = types;
  }

  @Override
  public void read(KeyRange range, Consumer<HashedRow> into) {
    try (CloseableIterable<Record> rows = IcebergGenerics.read(staging).select(spec.stagingColumns()).where(within(range))
        .build()) {
      for (Record r : rows) {
        if (spec.presentIf() != null && r.getField(spec.presentIf()) == null) {
          continue;
        }
        HashedRow row = Checksum.row(types, spec.stagingColumns().stream().map(r::getField).toList(), spec.keyColumns());
        if (range.contains(row.position())) {
          into.accept(row);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Expression within(KeyRange range) {
    String k = spec.stagingColumns().get(0);
    Expression e = Expressions.alwaysTrue();
    if (!Checksum.ranged(types.get(0))) {
      return e;
    }
    boolean isLong = types.get(0).typeId() == Type.TypeID.LONG;
    if (range.from() != Long.MIN_VALUE && (isLong || range.from() == (int) range.from())) { // else the check per row does it
      e = Expressions.and(e, Expressions.greaterThanOrEqual(k, isLong ? (Object) range.from() : (Object) (int) range.from()));
    }
    if (range.to() != Long.MAX_VALUE && (isLong || range.to() == (int) range.to())) {
      e = Expressions.and(e, Expressions.lessThan(k, isLong ? (Object) range.to() : (Object) (int) range.to()));
    }
    return e;
  }
}
