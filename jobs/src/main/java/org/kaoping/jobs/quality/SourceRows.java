package org.kaoping.jobs.quality;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.apache.iceberg.types.Type;
import org.kaoping.jobs.quality.Checksum.HashedRow;

/** A source table read by JDBC in the caller's transaction, a key range at a time (by its key index), streamed. */
final class SourceRows implements ReconciledSide {
  /** Rows fetched per round trip: the driver holds no more than this (it needs autocommit off to stream). */
  private static final int FETCH_ROWS = 10_000;

  private final Connection c;
  private final String qualified;
  private final ReconciledTable spec;
  private final List<Type> types;

  SourceRows(Connection c, String qualified, ReconciledTable spec, List<Type> types) {
    this.c = c;
    this.qualified = qualified;
    this.spec = spec;
    this.types = types;
  }

  /** The smallest and largest leading key, when the table has rows and its leading key is a whole number. */
  Optional<long[]> keyBounds() throws SQLException {
    if (!Checksum.ranged(types.get(0))) {
      return Optional.empty();
    }
    String k = spec.sourceColumns().get(0);
    try (PreparedStatement ps = c.prepareStatement("SELECT min(" + k + "), max(" + k + ") FROM " + qualified);
         ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getObject(1) == null ? Optional.empty() : Optional.of(new long[] {rs.getLong(1), rs.getLong(2)});
    }
  }

  @Override
  public void read(KeyRange range, Consumer<HashedRow> into) {
    String k = spec.sourceColumns().get(0);
    List<String> where = new ArrayList<>();
    if (Checksum.ranged(types.get(0)) && range.from() != Long.MIN_VALUE) {
      where.add(k + " >= " + range.from());
    }
    if (Checksum.ranged(types.get(0)) && range.to() != Long.MAX_VALUE) {
      where.add(k + " < " + range.to());
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT " + String.join(", ", spec.sourceColumns()) + " FROM " + qualified
        + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)))) {
      ps.setFetchSize(FETCH_ROWS);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          List<Object> values = new ArrayList<>();
          for (int i = 1; i <= types.size(); i++) {
            values.add(rs.getObject(i));
          }
          HashedRow row = Checksum.row(types, values, spec.keyColumns());
          if (range.contains(row.position())) {
            into.accept(row);
          }
        }
      }
    } catch (SQLException e) {
      throw new SourceFailure(qualified, e);
    }
  }

  /** A source read that failed: unwrapped to its SQLException by {@link Reconciliation}. */
  static final class SourceFailure extends RuntimeException {
    SourceFailure(String table, SQLException cause) {
      super("Reading " + table + " failed: " + cause.getMessage(), cause);
    }
  }
}
