package org.kaoping.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/** The schema check knows every column each staging model reads from raw. */
class SchemaDriftTest {
  private static final Map<String, String> PARAMETERS = MetricSettings.defaults().sqlParameters(LocalDate.of(2025, 10, 31));

  @Test
  void everyStagingModelDeclaresTheColumnsItReadsForEachInput() {
    for (SqlModel staging : ModelCatalog.standard().staging()) {
      SqlModel model = staging.render(PARAMETERS);
      Set<String> read = SchemaDrift.reads(model).stream().map(SchemaDrift.Read::rawTable).collect(Collectors.toSet());
      assertEquals(Set.copyOf(model.inputs()), read, model.resource() + ": inputs and declared reads");
    }
    SqlModel workLog = SqlModel.load("staging/work_log.sql").render(PARAMETERS);
    SchemaDrift.Read logs = SchemaDrift.reads(workLog).stream().filter(r -> r.rawTable().equals("worklog_work_log"))
        .findFirst().orElseThrow();
    assertEquals(DataTypes.StringType, logs.columns().apply("content").dataType());
    assertEquals(DataTypes.IntegerType, logs.columns().apply("minutes").dataType());
    assertTrue(SchemaDrift.reads(SqlModel.load("staging/staff_assignment.sql").render(PARAMETERS)).get(0).allEvents());
  }

  @Test
  void aModelReadingRowImagesInAnUntrackedFormIsRefused() {
    SqlModel sneaky = new SqlModel("staging/sneaky.sql", "staging.sneaky", "one row per x", List.of("id"), List.of(),
        List.of("worklog_unit"), SqlModel.Refresh.WHOLE, "SELECT get_json_object(after_json, '$.name') FROM latest_worklog_unit");
    assertThrows(IllegalArgumentException.class, () -> SchemaDrift.reads(sneaky));
  }
}
