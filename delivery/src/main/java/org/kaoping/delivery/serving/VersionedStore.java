package org.kaoping.delivery.serving;

import static org.kaoping.delivery.serving.Sql.q;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;

/**
 * The writer-only schema {@code kaoping_store}: one table per published table and column layout, rows versioned by
 * publication ({@code pub_from}, {@code pub_to}), the pointer {@code current_publication}, and per publication
 * which store table holds each table ({@code store_table}) and each partition's state ({@code part_state}).
 */
final class VersionedStore {
  static final String STORE = ServingPublisher.STORE;
  /** Advisory lock key of publishing ("kaoping" in ASCII). */
  private static final long ADVISORY_LOCK = 0x6b616f70696e67L;
  /** Columns never published, whatever a model selects. */
  private static final Set<String> FORBIDDEN_COLUMNS = Set.of("national_id");

  private final Connection c;
  private final Consumer<String> progress;

  VersionedStore(Connection c, Consumer<String> progress) {
    this.c = c;
    this.progress = progress;
  }

  /** One publisher per serving database, whatever Kaoping home it runs from (released when the connection ends). */
  void lockExclusive() throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + ADVISORY_LOCK + ")")) {
      rs.next();
      if (!rs.getBoolean(1)) {
        throw new IllegalStateException("Another kaoping publish is writing to this serving database; wait for it to finish.");
      }
    }
  }

  /** Creates the schemas and bookkeeping tables if missing, and the reader's access to schema {@code kaoping}. */
  void prepare(ServingRoles roles) throws SQLException {
    c.setAutoCommit(true);
    String schema = ServingPublisher.SCHEMA;
    try (Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS " + STORE);
      s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
      s.execute("REVOKE ALL ON SCHEMA " + STORE + " FROM PUBLIC");
      s.execute("CREATE TABLE IF NOT EXISTS " + STORE + ".current_publication (one boolean PRIMARY KEY DEFAULT true CHECK (one),"
          + " publication_id bigint NOT NULL)");
      s.execute("CREATE TABLE IF NOT EXISTS " + STORE + ".store_table (publication_id bigint NOT NULL, name text NOT NULL,"
          + " store_table text NOT NULL, PRIMARY KEY (publication_id, name))");
      s.execute("CREATE TABLE IF NOT EXISTS " + STORE + ".part_state (publication_id bigint NOT NULL, name text NOT NULL,"
          + " part text NOT NULL, row_count bigint NOT NULL, checksum text NOT NULL, PRIMARY KEY (publication_id, name, part))");
      boolean marked = exists(s, STORE + ".unfinished");
      s.execute("CREATE TABLE IF NOT EXISTS " + STORE + ".unfinished (publication_id bigint PRIMARY KEY)");
      if (!marked) { // a store from before the marker: look for leftovers once
        s.execute("INSERT INTO " + STORE + ".unfinished VALUES (0) ON CONFLICT DO NOTHING");
      }
      s.execute(PublicationTable.ddl());
      s.execute("COMMENT ON TABLE " + schema + ".publication IS 'One row per publication of the marts to this database"
          + " (also in ops.publication in the warehouse). key: publication_id. The views of schema kaoping show the latest.'");
      s.execute("COMMENT ON COLUMN " + schema + ".publication.table_snapshots IS 'warehouse table → Iceberg snapshot id published"
          + " (tagged kaoping-publication-<id>, readable by time travel)'");
      s.execute("COMMENT ON COLUMN " + schema + ".publication.checksums IS 'warehouse table → SHA-256 over its partitions'' row"
          + " counts and order-independent row-hash sums'");
      roles.prepareReader(s);
      roles.grantSelect(s, PublicationTable.TABLE);
    }
  }

  private static boolean exists(Statement s, String table) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  /**
   * Records that publication {@code id} is being written, before anything of it is: the next publish looks for leftovers
   * in the store tables only while such a mark is there (the switch removes it in its transaction).
   */
  void markUnfinished(long id) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("INSERT INTO " + STORE + ".unfinished VALUES (" + id + ") ON CONFLICT DO NOTHING");
    }
  }

  /** Removes the mark of a publish that wrote nothing (it found nothing changed). */
  void clearUnfinished() throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("DELETE FROM " + STORE + ".unfinished");
    }
  }

  /** The publication the views show; 0 before the first. */
  long currentPublication() throws SQLException {
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT publication_id FROM " + STORE + ".current_publication")) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /** Published table → the store table holding its rows, as of {@code publication}. */
  Map<String, String> storeTables(long publication) throws SQLException {
    Map<String, String> out = new TreeMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT name, store_table FROM " + STORE + ".store_table WHERE publication_id = ?")) {
      ps.setLong(1, publication);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return out;
  }

  /** Published table → partition → its row count and checksum, as of {@code publication}. */
  Map<String, Map<String, PartitionChecksums.State>> partStates(long publication) throws SQLException {
    Map<String, Map<String, PartitionChecksums.State>> out = new TreeMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT name, part, row_count, checksum FROM " + STORE
        + ".part_state WHERE publication_id = ?")) {
      ps.setLong(1, publication);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getString(1), k -> new TreeMap<>())
              .put(rs.getString(2), new PartitionChecksums.State(rs.getLong(3), rs.getString(4)));
        }
      }
    }
    return out;
  }

  /** The column layout and key of {@code t}: a store table is reused only while it is the same. */
  static String signature(PublishedTable t) {
    return t.data().schema().fields().length + ":" + Arrays.stream(t.data().schema().fields())
        .map(f -> f.name() + " " + pgType(f.dataType())).collect(Collectors.joining(",")) + "|key:" + String.join(",", t.model().key());
  }

  /** The signature store table {@code store} was created with. */
  String storeSignature(String store) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT obj_description('" + STORE + "." + q(store)
        + "'::regclass, 'pg_class')")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /**
   * Creates store table {@code store} for {@code t}: its columns and the version columns, without key or indexes (a
   * bulk copy into a bare table is about twice as fast; {@link #addKeyAndIndexes} follows it).
   */
  void createStoreTable(String store, PublishedTable t, String signature) throws SQLException {
    StringBuilder ddl = new StringBuilder("CREATE TABLE " + STORE + "." + q(store) + " (");
    for (StructField f : t.data().schema().fields()) {
      if (FORBIDDEN_COLUMNS.contains(f.name())) {
        throw new IllegalStateException(t.source() + " has column " + f.name() + ", which must never leave the warehouse");
      }
      ddl.append(q(f.name())).append(' ').append(pgType(f.dataType())).append(", ");
    }
    ddl.append("pub_part text NOT NULL, pub_from bigint NOT NULL, pub_to bigint)");
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + STORE + "." + q(store));
      s.execute(ddl.toString());
      s.execute("COMMENT ON TABLE " + STORE + "." + q(store) + " IS '" + signature.replace("'", "''") + "'");
    }
  }

  /**
   * Gives a store table filled by its first copy (every row written by publication {@code id}) its primary key, the
   * declared key plus {@code pub_from}, and the drill-down indexes. Readers cannot see the table before the switch.
   *
   * @throws IllegalStateException naming the key when a key value appears twice (the publication is not switched to)
   */
  void addKeyAndIndexes(String store, PublishedTable t, long id) throws SQLException {
    String table = STORE + "." + q(store);
    List<String> cols = List.of(t.data().columns());
    try (Statement s = c.createStatement()) {
      try {
        s.execute("ALTER TABLE " + table + " ADD PRIMARY KEY (" + t.model().key().stream().map(Sql::q)
            .collect(Collectors.joining(", ")) + ", pub_from)");
      } catch (SQLException e) {
        if ("23505".equals(e.getSQLState())) { // unique violation: name the key as the check of an existing table does
          checkKeyUnique(store, t, id, null);
        }
        throw e;
      }
      s.execute("CREATE INDEX ON " + table + " (pub_part, pub_from)");
      // closed rows are few and short-lived: prune and the leftovers' repair find them without reading the table
      s.execute("CREATE INDEX ON " + table + " (pub_to) WHERE pub_to IS NOT NULL");
      // the drill-down path: period → unit → section → person → log entries
      String when = cols.contains("period") && cols.contains("period_type") ? "period_type, period, " : "";
      for (String who : List.of("unit_id", "section_id", "staff_id", "entity_id", "reviewer_id")) {
        if (cols.contains(who) && !t.model().key().get(0).equals(who)) {
          String tail = cols.contains("work_date") ? ", work_date" : "";
          s.execute("CREATE INDEX ON " + table + " (" + when + who + tail + ")");
        }
      }
      s.execute("ANALYZE " + table); // the planner's first statistics, so the checks and closings use the indexes
    }
  }

  private static String pgType(DataType t) {
    if (t instanceof DecimalType d) {
      return "numeric(" + d.precision() + "," + d.scale() + ")";
    }
    if (t.equals(DataTypes.StringType)) return "text";
    if (t.equals(DataTypes.LongType)) return "bigint";
    if (t.equals(DataTypes.IntegerType)) return "integer";
    if (t.equals(DataTypes.ShortType)) return "smallint";
    if (t.equals(DataTypes.DoubleType)) return "double precision";
    if (t.equals(DataTypes.FloatType)) return "real";
    if (t.equals(DataTypes.BooleanType)) return "boolean";
    if (t.equals(DataTypes.DateType)) return "date";
    if (t.equals(DataTypes.TimestampType)) return "timestamptz";
    if (t.equals(DataTypes.TimestampNTZType)) return "timestamp";
    throw new IllegalStateException("No serving type for Spark type " + t);
  }

  /** Marks the live rows of these partitions as not shown from publication {@code id} on. */
  void close(String store, Set<String> parts, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE " + STORE + "." + q(store) + " SET pub_to = ? WHERE pub_to IS NULL"
        + " AND pub_part = ANY (?)")) {
      ps.setLong(1, id);
      ps.setArray(2, c.createArrayOf("text", parts.toArray()));
      ps.executeUpdate();
    }
  }

  /**
   * The declared key must be unique among the rows publication {@code id} shows; only keys of rows it wrote into
   * partitions {@code parts} (all its rows when null) are looked at, since no other row is new.
   */
  void checkKeyUnique(String store, PublishedTable t, long id, Set<String> parts) throws SQLException {
    String key = t.model().key().stream().map(Sql::q).collect(Collectors.joining(", "));
    String table = STORE + "." + q(store);
    try (PreparedStatement ps = c.prepareStatement("SELECT " + key + " FROM " + table + " WHERE pub_from <= " + id
        + " AND (pub_to IS NULL OR pub_to > " + id + ") AND (" + key + ") IN (SELECT " + key + " FROM " + table
        + " WHERE pub_from = " + id + (parts == null ? "" : " AND pub_part = ANY (?)") + ") GROUP BY " + key
        + " HAVING count(*) > 1 LIMIT 1")) {
      if (parts != null) {
        ps.setArray(1, c.createArrayOf("text", parts.toArray()));
      }
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          throw new IllegalStateException(t.source() + ": key (" + String.join(", ", t.model().key()) + ") = " + rs.getString(1)
              + " would appear twice in the serving database; the publication was not switched to.");
        }
      }
    }
  }

  /** Records which store table holds each table and each partition's state, as of publication {@code id}. */
  void writeStates(long id, Map<String, String> stores, Map<String, Map<String, PartitionChecksums.State>> parts)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement("INSERT INTO " + STORE + ".store_table VALUES (?, ?, ?)");
         PreparedStatement ps = c.prepareStatement("INSERT INTO " + STORE + ".part_state VALUES (?, ?, ?, ?, ?)")) {
      for (Map.Entry<String, String> e : stores.entrySet()) {
        st.setLong(1, id);
        st.setString(2, e.getKey());
        st.setString(3, e.getValue());
        st.addBatch();
      }
      st.executeBatch();
      for (Map.Entry<String, Map<String, PartitionChecksums.State>> e : parts.entrySet()) {
        for (Map.Entry<String, PartitionChecksums.State> p : e.getValue().entrySet()) {
          ps.setLong(1, id);
          ps.setString(2, e.getKey());
          ps.setString(3, p.getKey());
          ps.setLong(4, p.getValue().rows());
          ps.setString(5, p.getValue().checksum());
          ps.addBatch();
        }
      }
      ps.executeBatch();
    }
  }

  /**
   * Removes what an unfinished publish left: all of it is invisible to readers. Store tables no publication uses are
   * dropped; rows and closings beyond {@code current} are looked for only while a publish is marked unfinished, since
   * that means reading every store table.
   */
  void removeLeftovers(long current) throws SQLException {
    Set<String> live = new TreeSet<>(storeTables(current).values());
    Set<String> all = new TreeSet<>();
    boolean unfinished;
    try (Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = '" + STORE
          + "' AND tablename LIKE '%\\_\\_%'")) {
        while (rs.next()) {
          all.add(rs.getString(1));
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT count(*) > 0 FROM " + STORE + ".unfinished")) {
        rs.next();
        unfinished = rs.getBoolean(1);
      }
    }
    int removed = 0;
    try (Statement s = c.createStatement()) {
      for (String t : all) {
        if (!live.contains(t)) {
          s.execute("DROP TABLE " + STORE + "." + q(t));
          removed++;
        } else if (unfinished) {
          removed += s.executeUpdate("DELETE FROM " + STORE + "." + q(t) + " WHERE pub_from > " + current) > 0 ? 1 : 0;
          s.executeUpdate("UPDATE " + STORE + "." + q(t) + " SET pub_to = NULL WHERE pub_to > " + current);
        }
      }
      s.executeUpdate("DELETE FROM " + STORE + ".store_table WHERE publication_id > " + current);
      s.executeUpdate("DELETE FROM " + STORE + ".part_state WHERE publication_id > " + current);
      s.executeUpdate("DELETE FROM " + STORE + ".unfinished");
    }
    if (removed > 0) {
      progress.accept("serving: removed the leftovers of an unfinished publication (in " + removed + " table(s))");
    }
  }

  /** Deletes rows and states no publication from {@code id} on shows, and store tables no longer used. */
  void prune(long id) throws SQLException {
    Set<String> live = new TreeSet<>(storeTables(id).values());
    try (Statement s = c.createStatement()) {
      for (String t : live) {
        s.executeUpdate("DELETE FROM " + STORE + "." + q(t) + " WHERE pub_to <= " + id);
      }
      s.executeUpdate("DELETE FROM " + STORE + ".store_table WHERE publication_id < " + id);
      s.executeUpdate("DELETE FROM " + STORE + ".part_state WHERE publication_id < " + id);
    }
    removeLeftovers(id);
  }
}
