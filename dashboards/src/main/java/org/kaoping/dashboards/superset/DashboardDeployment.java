package org.kaoping.dashboards.superset;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Deploys the dashboards to a Superset: imports the bundle (idempotent by UUID), then makes the roles and
 * row-level security rules: {@value #ANALYST} and {@value #COMMITTEE} read every Kaoping dataset; one role per unit
 * ({@code kaoping_unit_<id>}) reads the datasets of the dashboards meant for unit leaders (not those of
 * {@link #NOT_FOR_UNIT_LEADERS}, which they then cannot open) through a rule {@code unit_id = '<id>'} on every dataset
 * with a {@code unit_id} column. Running it again updates roles and rules in place (a role's permissions are replaced).
 */
public final class DashboardDeployment {
  public static final String ANALYST = "kaoping_analyst";
  public static final String COMMITTEE = "kaoping_committee";
  static final String UNIT_ROLE_PREFIX = "kaoping_unit_";
  static final String RULE_PREFIX = "kaoping 单位 ";
  /** Dashboards of the data team: a unit role gets none of their datasets, and Superset opens no dashboard without one. */
  static final Set<String> NOT_FOR_UNIT_LEADERS = Set.of("data-quality");
  /**
   * The dashboard each reader's role reads first, where the Superset of {@code kaoping up} lands them after login instead
   * of its empty home page: the committee and the unit leaders the quarter's evaluation, analysts the overview (a role
   * name ending in _ stands for every role it begins).
   */
  public static final Map<String, String> LANDING = landing();
  /** The built-in role every Kaoping reader also gets: menus and read access to dashboards and charts. */
  static final String BASE_ROLE = "Gamma";
  /** The end of a dataset's view menu name, {@code [db].[table](id:N)}: its id. */
  private static final Pattern DATASET_VIEW_MENU = Pattern.compile("\\(id:(\\d+)\\)$");

  /** Where Superset reaches the serving database as the read-only role; null password: none needed (trust). */
  public record ServingDatabase(String host, int port, String database, String user, String password) {
    /** The connection string Superset keeps; a password goes separately, as Superset's import expects. */
    String sqlalchemyUri() {
      return "postgresql://" + user + (password == null ? "" : ":XXXXXXXXXX") + "@" + host + ":" + port + "/" + database;
    }
  }

  /** A unit of the serving database. */
  public record Unit(long id, String name) {}

  /** What Superset holds afterwards. */
  public record Result(int charts, int dashboards, int datasets, int unitRoles, int rules) {}

  private DashboardDeployment() {}

  private static Map<String, String> landing() {
    Map<String, String> landing = new LinkedHashMap<>();
    landing.put(COMMITTEE, "quarterly-review");
    landing.put(ANALYST, "overview");
    landing.put(UNIT_ROLE_PREFIX, "quarterly-review");
    return Collections.unmodifiableMap(landing);
  }

  /** The units in the serving database's scores. */
  public static List<Unit> units(Connection serving) throws SQLException {
    List<Unit> units = new ArrayList<>();
    try (Statement s = serving.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT unit_id, max(unit_name) FROM kaoping.unit_score_by_period GROUP BY unit_id ORDER BY unit_id")) {
      while (rs.next()) {
        units.add(new Unit(rs.getLong(1), rs.getString(2)));
      }
    }
    return units;
  }

  public static Result deploy(SupersetClient superset, AssetBundle bundle, ServingDatabase serving, List<Unit> units,
      Consumer<String> progress) {
    progress.accept("Importing " + bundle.dashboardCount() + " dashboards and " + bundle.chartCount()
        + " charts into Superset at " + superset.base());
    superset.importAssets(bundle.zip(serving.sqlalchemyUri()),
        serving.password() == null ? Map.of() : Map.of(bundle.databasePath(), serving.password()));
    List<Dataset> datasets = datasets(superset, bundle);
    if (datasets.size() < bundle.datasetUuids().size()) {
      throw new SupersetException("Superset accepted the import but shows " + datasets.size() + " of the bundle's "
          + bundle.datasetUuids().size() + " datasets.");
    }
    Map<Long, Long> datasourceAccess = datasourceAccess(superset);
    List<Long> access = accessTo(datasets, datasourceAccess);
    Map<String, Long> roles = new LinkedHashMap<>();
    superset.list("api/v1/security/roles/").forEach(r -> roles.put(r.path("name").asText(), r.path("id").asLong()));
    for (String role : List.of(ANALYST, COMMITTEE)) {
      grant(superset, ensureRole(superset, roles, role), access);
    }
    List<Long> unitTables = datasets.stream().filter(Dataset::hasUnitId).map(Dataset::id).toList();
    List<Long> leaderAccess = accessTo(forUnitLeaders(bundle, datasets), datasourceAccess);
    Map<String, JsonNode> rules = new LinkedHashMap<>();
    superset.list("api/v1/rowlevelsecurity/").forEach(r -> rules.put(r.path("name").asText(), r));
    for (Unit unit : units) {
      long role = ensureRole(superset, roles, UNIT_ROLE_PREFIX + unit.id());
      grant(superset, role, leaderAccess);
      Map<String, Object> rule = new LinkedHashMap<>();
      rule.put("name", RULE_PREFIX + unit.id());
      rule.put("description", unit.name() + "：只看本单位的行");
      rule.put("filter_type", "Regular");
      rule.put("tables", unitTables);
      rule.put("roles", List.of(role));
      rule.put("clause", "unit_id = '" + unit.id() + "'");
      rule.put("group_key", "");
      JsonNode existing = rules.get(RULE_PREFIX + unit.id());
      if (existing == null) {
        superset.post("api/v1/rowlevelsecurity/", rule);
      } else {
        superset.put("api/v1/rowlevelsecurity/" + existing.path("id").asLong(), rule);
      }
    }
    Result result = new Result(superset.count("chart"), superset.count("dashboard"), superset.count("dataset"),
        units.size(), unitTables.size());
    progress.accept("Superset holds " + result.dashboards() + " dashboards, " + result.charts() + " charts, "
        + result.datasets() + " datasets; roles " + ANALYST + ", " + COMMITTEE + " and " + units.size()
        + " unit roles, each limited to its unit on " + unitTables.size() + " datasets");
    return result;
  }

  /**
   * Creates or updates the Superset user {@code user} of a unit's leader: roles Gamma and the unit's role, so every
   * dashboard shows that unit's rows only. The unit's role must exist (deploy first).
   */
  public static void leader(SupersetClient superset, long unitId, String user, String password) {
    long unitRole = role(superset, UNIT_ROLE_PREFIX + unitId).orElseThrow(() -> new SupersetException(
        "Superset has no role " + UNIT_ROLE_PREFIX + unitId + ": deploy the dashboards first, and check that unit "
            + unitId + " is in the serving database."));
    long gamma = role(superset, BASE_ROLE).orElseThrow(() -> new SupersetException("Superset has no role " + BASE_ROLE));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("active", true);
    body.put("first_name", user);
    body.put("last_name", "单位" + unitId);
    body.put("email", user + "@unit" + unitId + ".kaoping.invalid");
    body.put("password", password);
    body.put("roles", List.of(gamma, unitRole));
    Optional<JsonNode> existing = superset.list("api/v1/security/users/").stream()
        .filter(u -> u.path("username").asText().equals(user)).findFirst();
    if (existing.isPresent()) {
      superset.put("api/v1/security/users/" + existing.get().path("id").asLong(), body);
    } else {
      body.put("username", user);
      superset.post("api/v1/security/users/", body);
    }
  }

  /** A dataset of the bundle as imported. */
  private record Dataset(long id, String uuid, boolean hasUnitId) {}

  /**
   * The datasets of the dashboards unit leaders read.
   *
   * @throws SupersetException when one of them also feeds a dashboard leaders must not open (it would open)
   */
  private static List<Dataset> forUnitLeaders(AssetBundle bundle, List<Dataset> datasets) {
    Set<String> theirs = new TreeSet<>();
    Set<String> dataTeam = new TreeSet<>();
    for (String slug : bundle.dashboardSlugs()) {
      (NOT_FOR_UNIT_LEADERS.contains(slug) ? dataTeam : theirs).addAll(bundle.datasetUuidsOf(slug));
    }
    Set<String> shared = new TreeSet<>(theirs);
    shared.retainAll(dataTeam);
    if (!shared.isEmpty()) {
      throw new SupersetException("Datasets " + shared + " feed both a dashboard for unit leaders and one of "
          + NOT_FOR_UNIT_LEADERS + ": leaders could open the latter. Give each its own dataset.");
    }
    return datasets.stream().filter(d -> theirs.contains(d.uuid())).toList();
  }

  private static List<Dataset> datasets(SupersetClient superset, AssetBundle bundle) {
    List<Dataset> out = new ArrayList<>();
    for (JsonNode d : superset.list("api/v1/dataset/")) {
      JsonNode detail = superset.get("api/v1/dataset/" + d.path("id").asLong()).path("result");
      if (bundle.datasetUuids().contains(detail.path("uuid").asText())) {
        boolean unitId = false;
        for (JsonNode c : detail.path("columns")) {
          unitId |= "unit_id".equals(c.path("column_name").asText());
        }
        out.add(new Dataset(d.path("id").asLong(), detail.path("uuid").asText(), unitId));
      }
    }
    return out;
  }

  /** Dataset id → the id of permission {@code datasource_access} on it (view menu {@code [db].[table](id:N)}). */
  private static Map<Long, Long> datasourceAccess(SupersetClient superset) {
    Map<Long, Long> byDataset = new HashMap<>();
    for (JsonNode p : superset.list("api/v1/security/permissions-resources/")) {
      Matcher dataset = DATASET_VIEW_MENU.matcher(p.path("view_menu").path("name").asText());
      if ("datasource_access".equals(p.path("permission").path("name").asText()) && dataset.find()) {
        byDataset.putIfAbsent(Long.parseLong(dataset.group(1)), p.path("id").asLong());
      }
    }
    return byDataset;
  }

  /** The ids of permission {@code datasource_access} on each of {@code datasets}. */
  private static List<Long> accessTo(List<Dataset> datasets, Map<Long, Long> datasourceAccess) {
    List<Long> ids = new ArrayList<>();
    for (Dataset d : datasets) {
      Long id = datasourceAccess.get(d.id());
      if (id == null) {
        throw new SupersetException("Superset has no datasource_access permission for dataset " + d.id());
      }
      ids.add(id);
    }
    return ids;
  }

  private static long ensureRole(SupersetClient superset, Map<String, Long> existing, String name) {
    return existing.computeIfAbsent(name, n -> superset.post("api/v1/security/roles/", Map.of("name", n))
        .path("id").asLong());
  }

  private static Optional<Long> role(SupersetClient superset, String name) {
    return superset.list("api/v1/security/roles/").stream().filter(r -> name.equals(r.path("name").asText()))
        .map(r -> r.path("id").asLong()).findFirst();
  }

  private static void grant(SupersetClient superset, long role, List<Long> permissions) {
    superset.post("api/v1/security/roles/" + role + "/permissions", Map.of("permission_view_menu_ids", permissions));
  }
}
