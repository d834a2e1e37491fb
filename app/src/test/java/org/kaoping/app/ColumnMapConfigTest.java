package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.kaoping.config.KaopingConfig;
import org.kaoping.config.KaopingConfig.ConfigException;

/** The column-map key family: read per raw table, and a malformed key or value stops start-up naming it. */
class ColumnMapConfigTest {

  @Test
  void columnMapsAreKeyedByRawTable() {
    KaopingConfig config = KaopingConfig.load(null, Map.of("source.worklog.column-map.work_log.content", "description",
        "source.worklog.column-map.work_log.minutes", "minutes_spent", "source.approval.column-map.service_case.status", "state"));
    assertEquals(Map.of("worklog_work_log", Map.of("content", "description", "minutes", "minutes_spent"),
        "approval_service_case", Map.of("status", "state")), config.columnMaps());
    assertEquals(Map.of(), KaopingConfig.load(null, Map.of()).columnMaps());
  }

  @Test
  void malformedKeysAndValuesAreNamed() {
    ConfigException noColumn = assertThrows(ConfigException.class,
        () -> KaopingConfig.load(null, Map.of("source.worklog.column-map.work_log", "description")));
    assertTrue(noColumn.getMessage().contains("'source.worklog.column-map.work_log' (defaults) must look like"
        + " source.<name>.column-map.<table>.<model column>"), noColumn.getMessage());
    ConfigException badValue = assertThrows(ConfigException.class,
        () -> KaopingConfig.load(null, Map.of("source.worklog.column-map.work_log.content", "desc ription")));
    assertTrue(badValue.getMessage().contains("must name a source column, was 'desc ription'"), badValue.getMessage());
    ConfigException strangerSource = assertThrows(ConfigException.class,
        () -> KaopingConfig.load(null, Map.of("source.hr.column-map.person.name", "full_name")));
    assertTrue(strangerSource.getMessage().contains("is for source 'hr'"), strangerSource.getMessage());
  }
}
