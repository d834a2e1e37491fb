package org.kaoping.jobs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every model of the build, in the order it is built, with what each reads: the one place the build, model reuse,
 * the refresh scope and the publisher take their models from.
 *
 * <p>The SQL models are the files of {@code staging/} and {@code marts/}; the models computed in code are registered
 * with the tables they read. What a SQL model reads is found in its SQL ({@link SqlReads}), and the build order is
 * derived from it ({@link BuildOrder}). Loading refuses, with a sentence naming the model and the table:
 * <ul>
 *   <li>a model reading a raw view ({@code latest_x}, {@code raw_x}) without {@code -- input: x} in its header, or
 *       declaring an input it never reads;</li>
 *   <li>a read of a table no model produces (nor the staging step: {@code ops.rejected_rows}), a staging model reading
 *       a mart, a mart reading raw;</li>
 *   <li>models reading each other in a cycle;</li>
 *   <li>an incremental mart ({@code -- refresh: by period} or {@code by month of work_date}) reading a staging table
 *       that neither drives its refresh ({@code -- driver: staging.x (date_column, ...)}, see {@link RefreshDriver})
 *       nor forces a full rebuild when it changes ({@code -- on-change: full rebuild} in that staging model's header).
 *       Marts it reads are built in the same scope before it.</li>
 * </ul>
 */
public final class ModelCatalog {
  /** Written by the staging step beside the staging tables (every staging row's rule breaks): marts may read it. */
  static final Set<String> STAGING_BY_PRODUCTS = Set.of(WarehouseBuild.REJECTS_TABLE);
  private static final String STAGING = "staging";
  private static final String MART = "mart";
  private static final String FULL_REBUILD = "full rebuild";
  private static ModelCatalog standard;

  /** Table → model, in build order. */
  private final Map<String, SqlModel> models = new LinkedHashMap<>();
  private final Map<String, SortedSet<String>> reads = new TreeMap<>();
  private final Set<String> computed = new TreeSet<>();
  private final List<String> fullRebuildTables = new ArrayList<>();
  private final List<RefreshDriver> refreshDrivers = new ArrayList<>();
  private final RowImages rowImages;

  private ModelCatalog(List<SqlModel> sqlModels, List<ComputedModel> computedModels) {
    Map<String, SqlModel> byTable = new TreeMap<>();
    for (SqlModel model : sqlModels) {
      add(byTable, model);
      reads.put(model.table(), SqlReads.of(model.sql(), model.table()));
    }
    for (ComputedModel c : computedModels) {
      add(byTable, c.model());
      computed.add(c.model().table());
      reads.put(c.model().table(), new TreeSet<>(c.reads()));
    }
    byTable.values().forEach(model -> checkReads(model, byTable));
    BuildOrder.of(reads, Comparator.comparing(ModelCatalog::layerRank).thenComparing(Comparator.naturalOrder()))
        .forEach(table -> models.put(table, byTable.get(table)));
    rowImages = RowImages.of(staging().stream().filter(m -> !computed.contains(m.table())).toList());
    for (SqlModel model : staging()) {
      if (!computed.contains(model.table())) {
        checkDriverFields(model, GroupedStaging.of(model)); // refused here rather than mid-build
      }
      if (model.rebuildsMartsOnChange()) {
        fullRebuildTables.add(model.table());
      }
    }
    Map<String, RefreshDriver> drivers = new LinkedHashMap<>();
    staging().forEach(m -> drivers.put(m.table(), null)); // merged drivers come in staging build order
    for (SqlModel mart : marts()) {
      if (mart.rebuildsMartsOnChange()) {
        throw new IllegalArgumentException(name(mart) + " declares '-- on-change: " + FULL_REBUILD
            + "', which only a staging model may: its change rebuilds the marts in full");
      }
      for (RefreshDriver driver : checkedDrivers(mart)) {
        drivers.merge(driver.table(), driver, RefreshDriver::with);
      }
    }
    drivers.values().stream().filter(d -> d != null).forEach(refreshDrivers::add);
  }

  /** The models of this build: {@code staging/*.sql}, {@code marts/*.sql} and those computed in code; loaded once. */
  public static synchronized ModelCatalog standard() {
    if (standard == null) { // a refused load is refused again on every call, with its sentence
      List<SqlModel> sql = new ArrayList<>(ModelResources.in("staging"));
      sql.addAll(ModelResources.in("marts"));
      List<ComputedModel> inCode = new ArrayList<>(List.of(WarehouseBuild.CALENDAR_DAY));
      inCode.addAll(ScoreMarts.COMPUTED);
      standard = new ModelCatalog(sql, inCode);
    }
    return standard;
  }

  /** A catalog of the given models; refuses them as {@link ModelCatalog} says. */
  static ModelCatalog of(List<SqlModel> sqlModels, List<ComputedModel> computedModels) {
    return new ModelCatalog(sqlModels, computedModels);
  }

  /** A catalog of the models whose SQL texts (with their headers) are given, named {@code text 1}, {@code text 2}, …. */
  static ModelCatalog ofTexts(List<String> texts, List<ComputedModel> computedModels) {
    List<SqlModel> models = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      models.add(SqlModel.parse("text " + (i + 1), texts.get(i)));
    }
    return new ModelCatalog(models, computedModels);
  }

  /** The typed columns of the current state the staging models read ({@link RowImages}). */
  RowImages rowImages() {
    return rowImages;
  }

  /** A grouped staging model's driver fields are read from the typed images: the model must read them itself. */
  private void checkDriverFields(SqlModel model, GroupedStaging grouped) {
    if (grouped == null) {
      return;
    }
    for (GroupedStaging.Driver d : grouped.drivers()) {
      List<String> fields = new ArrayList<>(d.fields());
      if (d.keyField() != null) {
        fields.add(d.keyField());
      }
      for (String field : fields) {
        if (rowImages.type(d.input(), field) == null) {
          throw new IllegalArgumentException(name(model) + " groups by field '" + field + "' of " + d.input()
              + ", which no model reads from latest_" + d.input() + ": add it to the model's from_json columns");
        }
      }
    }
  }

  /** The staging models, in build order. */
  public List<SqlModel> staging() {
    return inLayer(STAGING);
  }

  /** The marts (computed in code or not), in build order. */
  public List<SqlModel> marts() {
    return inLayer(MART);
  }

  /** The model of {@code table}. */
  SqlModel model(String table) {
    SqlModel model = models.get(table);
    if (model == null) {
      throw new IllegalArgumentException("No model builds " + table);
    }
    return model;
  }

  /** The tables and raw views ({@code latest_x}, {@code raw_x}) the model of {@code table} reads. */
  public SortedSet<String> reads(String table) {
    model(table);
    return Collections.unmodifiableSortedSet(reads.get(table));
  }

  /** Whether the model of {@code table} is computed in code (it has no SQL to run). */
  boolean computedInCode(String table) {
    model(table);
    return computed.contains(table);
  }

  /** Staging tables whose change rebuilds every mart in full ({@code -- on-change: full rebuild}), in build order. */
  List<String> fullRebuildTables() {
    return Collections.unmodifiableList(fullRebuildTables);
  }

  /** Every staging table an incremental mart declares as a driver, each with the dates all those marts named. */
  List<RefreshDriver> refreshDrivers() {
    return Collections.unmodifiableList(refreshDrivers);
  }

  private List<SqlModel> inLayer(String layer) {
    return models.values().stream().filter(m -> layer(m.table()).equals(layer)).toList();
  }

  private static void add(Map<String, SqlModel> byTable, SqlModel model) {
    String layer = layer(model.table());
    if (!layer.equals(STAGING) && !layer.equals(MART)) {
      throw new IllegalArgumentException(name(model) + " builds " + model.table() + ": a model builds a staging or mart table");
    }
    SqlModel other = byTable.putIfAbsent(model.table(), model);
    if (other != null) {
      throw new IllegalArgumentException(name(other) + " and " + name(model) + " both build " + model.table());
    }
  }

  /** Refuses raw reads that the header does not declare (and the reverse), unknown tables and reads against the layers. */
  private void checkReads(SqlModel model, Map<String, SqlModel> byTable) {
    Set<String> rawRead = new TreeSet<>();
    for (String read : reads.get(model.table())) {
      if (SqlReads.isRawView(read)) {
        String rawTable = SqlReads.rawTable(read);
        rawRead.add(rawTable);
        if (layer(model.table()).equals(MART)) {
          throw new IllegalArgumentException(name(model) + " reads the raw view " + read
              + ": marts read staging tables and other marts, never raw");
        }
        if (!model.inputs().contains(rawTable)) {
          throw new IllegalArgumentException(name(model) + " reads " + read + " but its header does not declare '-- input: "
              + rawTable + "'");
        }
      } else if (!byTable.containsKey(read) && !STAGING_BY_PRODUCTS.contains(read)) {
        throw new IllegalArgumentException(name(model) + " reads " + read + ", which no model builds and no raw input provides");
      } else if (layer(model.table()).equals(STAGING) && !layer(read).equals(STAGING)) {
        throw new IllegalArgumentException(name(model) + " reads " + read
            + ": staging models read raw inputs and other staging tables only (staging is built before anything else)");
      }
    }
    for (String input : model.inputs()) {
      if (!rawRead.contains(input)) {
        throw new IllegalArgumentException(name(model) + " declares '-- input: " + input + "' but reads neither latest_"
            + input + " nor raw_" + input);
      }
    }
  }

  /** The drivers an incremental mart declares, refused unless they cover every staging table it reads. */
  private List<RefreshDriver> checkedDrivers(SqlModel mart) {
    List<RefreshDriver> declared = computed.contains(mart.table()) ? List.of() : RefreshDriver.declaredBy(mart);
    if (mart.refresh() == SqlModel.Refresh.WHOLE) {
      if (!declared.isEmpty()) {
        throw new IllegalArgumentException(name(mart) + " declares '-- driver: " + declared.get(0).table()
            + "' but is rebuilt whole: only a mart refreshed by period or by month of work_date has drivers");
      }
      return declared;
    }
    Set<String> driving = new TreeSet<>();
    for (RefreshDriver driver : declared) {
      if (!reads.get(mart.table()).contains(driver.table())) {
        throw new IllegalArgumentException(name(mart) + " declares '-- driver: " + driver.table() + "' but does not read it");
      }
      singleKeyStagingTable(mart, driver.table());
      driving.add(driver.table());
    }
    for (String read : reads.get(mart.table())) {
      String behind = layer(read).equals(MART) ? uncoveredBehind(read) : null;
      if (behind != null) {
        throw new IllegalArgumentException(name(mart) + " is refreshed " + refreshWords(mart.refresh()) + " and reads " + read
            + ", which is rebuilt whole from " + behind + ", whose changes would not reach " + mart.table()
            + ": refresh " + read + " incrementally with its drivers, or rebuild " + mart.table() + " whole");
      }
      if (!layer(read).equals(MART) && !driving.contains(read) && !fullRebuildTables.contains(read)) {
        throw new IllegalArgumentException(name(mart) + " is refreshed " + refreshWords(mart.refresh()) + " and reads " + read
            + ", whose changes would not reach it: declare '-- driver: " + read + " (<date column>)' in its header, or mark "
            + read + " '-- on-change: " + FULL_REBUILD + "'");
      }
    }
    return declared;
  }

  /**
   * The staging table behind a mart rebuilt whole (directly or through other such marts) whose changes no refresh scope
   * sees (neither a full-rebuild table nor read through an incremental mart); null when there is none.
   */
  private String uncoveredBehind(String mart) {
    SqlModel model = models.get(mart);
    if (computed.contains(mart) || model == null || model.refresh() != SqlModel.Refresh.WHOLE) {
      return null; // the calendar (the as-of date and calendar settings decide it), or an incremental mart
    }
    for (String read : reads.get(mart)) {
      String behind = layer(read).equals(MART) ? uncoveredBehind(read) : fullRebuildTables.contains(read) ? null : read;
      if (behind != null) {
        return behind;
      }
    }
    return null;
  }

  /** Refuses a driver table the refresh scope cannot compare row by row: a staging model with a one-column key. */
  private void singleKeyStagingTable(SqlModel mart, String table) {
    SqlModel model = models.get(table);
    if (model == null || !layer(table).equals(STAGING)) {
      throw new IllegalArgumentException(name(mart) + " names " + table + " in '-- driver:', which is no staging model");
    }
    if (model.key().size() != 1) {
      throw new IllegalArgumentException(name(mart) + " names " + table + " in '-- driver:', whose key " + model.key()
          + " is not one column: its changed rows cannot be matched");
    }
  }

  private static String refreshWords(SqlModel.Refresh refresh) {
    return refresh == SqlModel.Refresh.BY_PERIOD ? "by period" : "by month of work_date";
  }

  private static String layer(String table) {
    int dot = table.indexOf('.');
    return dot < 0 ? "" : table.substring(0, dot);
  }

  /** Staging before marts among models ready together: the build stages everything before it refreshes a mart. */
  private static int layerRank(String table) {
    return layer(table).equals(STAGING) ? 0 : 1;
  }

  private static String name(SqlModel model) {
    return model.table() + " (" + model.resource() + ")";
  }
}
