package org.kaoping.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaoping.warehouse.WarehouseCatalog;

/** A model is kept only when its fingerprint and its table's snapshot are the previous build's; its reads are complete. */
class ModelReuseTest {
  private static final Pattern QUERIED = Pattern.compile("(?i)\\b(?:FROM|JOIN)\\s+([a-z_][a-z0-9_.]*)");
  private static final Pattern CTE = Pattern.compile("(?i)\\b([a-z_][a-z0-9_]*)\\s+AS\\s*\\(");

  /** A table the parser misses would keep a model whose input changed: every FROM/JOIN target must be a read or a CTE. */
  @Test
  void readsNameEveryTableAModelQueries() {
    List<SqlModel> models = new ArrayList<>(ModelCatalog.standard().staging());
    models.addAll(ModelCatalog.standard().marts());
    models.removeIf(m -> ModelCatalog.standard().computedInCode(m.table()));
    for (SqlModel model : models) {
      String resource = model.resource();
      String code = SqlReads.code(model.sql()); // without comments and string literals: a table a message names is not queried
      Set<String> ctes = new TreeSet<>();
      Matcher c = CTE.matcher(code);
      while (c.find()) {
        ctes.add(c.group(1).toLowerCase());
      }
      Set<String> reads = ModelCatalog.standard().reads(model.table());
      Matcher q = QUERIED.matcher(code);
      while (q.find()) {
        String table = q.group(1).toLowerCase();
        assertTrue(ctes.contains(table) || reads.contains(table), resource + " queries " + table + ", which reads() misses: " + reads);
      }
      assertFalse(reads.contains(model.table()), resource + ": a model does not read itself");
    }
  }

  @Test
  void readsOfAMart() {
    SqlModel model = SqlModel.load("marts/service_execution_by_period.sql");
    Set<String> reads = ModelCatalog.standard().reads(model.table());
    assertTrue(reads.containsAll(List.of("staging.service_case", "staging.service_item", "mart.calendar_day", "mart.calendar_period")),
        reads.toString());
  }

  @Test
  void keptOnlyWithTheSameFingerprintAndSnapshot() {
    ModelReuse first = ModelReuse.none();
    String fingerprint = first.fingerprint("mart.t", List.of("SELECT 1", "staging.a=5"));
    assertFalse(first.keeps("mart.t", fingerprint, 10L), "nothing is kept without a previous build");
    assertEquals(Map.of("mart.t", fingerprint), first.fingerprints());

    ModelReuse next = new ModelReuse(Map.of("mart.t", fingerprint), Map.of("mart.t", 10L));
    assertTrue(next.keeps("mart.t", next.fingerprint("mart.t", List.of("SELECT 1", "staging.a=5")), 10L));
    String changedInput = next.fingerprint("mart.t", List.of("SELECT 1", "staging.a=6"));
    assertNotEquals(fingerprint, changedInput);
    assertFalse(next.keeps("mart.t", changedInput, 10L), "an input at another snapshot");
    assertFalse(next.keeps("mart.t", next.fingerprint("mart.t", List.of("SELECT 1 ", "staging.a=5")), 10L), "other SQL");
    assertFalse(next.keeps("mart.t", fingerprint, 11L), "the table was written since");
    assertFalse(next.keeps("mart.t", fingerprint, null), "the table is gone");
    assertNotEquals(next.fingerprint("mart.t", List.of("ab", "c")), next.fingerprint("mart.t", List.of("a", "bc")),
        "parts are separated");
  }

  /**
   * A table another run wrote since the previous build (one killed mid-way) is not as that build left it, so it is
   * rebuilt whole rather than by its changed months; a compaction since ({@code kaoping maintain}) leaves it as it was.
   */
  @Test
  void aTableWrittenSinceThePreviousBuildIsNotAsItWasLeftButACompactedOneIs(@TempDir Path dir) throws Exception {
    try (WarehouseCatalog warehouse = WarehouseCatalog.open(Map.of("type", "hadoop", "warehouse", dir.toString()))) {
      Table t = warehouse.loadOrCreate(TableIdentifier.of("mart", "t"),
          new Schema(Types.NestedField.required(1, "id", Types.LongType.get())), Map.of());
      t.newAppend().appendFile(dataFile(t, "a")).commit();
      long recorded = t.currentSnapshot().snapshotId();
      ModelReuse next = new ModelReuse(Map.of(), Map.of("mart.t", recorded));
      assertTrue(next.leftAsRecorded("mart.t", warehouse));
      assertFalse(next.leftAsRecorded("mart.u", warehouse), "not built by the previous build");
      assertFalse(ModelReuse.none().leftAsRecorded("mart.t", warehouse), "no previous build");

      t.newRewrite().rewriteFiles(Set.of(dataFile(t, "a")), Set.of(dataFile(t, "a-compacted"))).commit();
      assertTrue(next.leftAsRecorded("mart.t", warehouse), "compacted since");
      t.newAppend().appendFile(dataFile(t, "b")).commit();
      assertFalse(next.leftAsRecorded("mart.t", warehouse), "written since");
    }
  }

  /** A data file of one row, by name (the commit checks no file). */
  private static DataFile dataFile(Table t, String name) {
    return DataFiles.builder(t.spec()).withPath(t.location() + "/data/" + name + ".parquet").withFileSizeInBytes(10)
        .withRecordCount(1).withFormat(FileFormat.PARQUET).build();
  }
}
