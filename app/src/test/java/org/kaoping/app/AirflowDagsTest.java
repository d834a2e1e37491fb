package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaoping.app.service.RunKind;
import org.kaoping.platform.Commands;
import org.kaoping.platform.PythonEnvironment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The shipped DAG files as the pinned Airflow parses them (its DagBag; no scheduler, no service): they import without
 * errors, every step is a run kind the service knows, and the daily and monthly DAGs deliver the new reminders after
 * publishing.
 * AirflowSchedulingTest runs the daily DAG against a real service.
 */
class AirflowDagsTest {
  @TempDir static Path dir;
  static JsonNode structure;

  @BeforeAll
  static void parse() throws Exception {
    PythonEnvironment venv = AirflowStandalone.environment(System.out::println);
    Path script = dir.resolve("dag_structure.py");
    Files.write(script, AirflowDagsTest.class.getResourceAsStream("/airflow/dag_structure.py").readAllBytes());
    Path out = dir.resolve("dags.json");
    Commands.run(List.of(venv.bin("python").toString(), script.toString(),
        AirflowStandalone.schedulingFolder().resolve("dags").toString(), out.toString()),
        Map.of("AIRFLOW_HOME", dir.resolve("airflow").toString(), "AIRFLOW__CORE__LOAD_EXAMPLES", "False"),
        dir.resolve("parse.log"), 5);
    structure = new ObjectMapper().readTree(out.toFile());
  }

  @Test
  void theDagsImportAndEveryStepIsARunKindOfTheService() {
    assertEquals(0, structure.get("errors").size(), structure.get("errors").toString());
    assertEquals(Set.of("kaoping_daily", "kaoping_monthly", "kaoping_quarterly"), names(structure.get("dags")));
    Set<String> kinds = new TreeSet<>(Arrays.stream(RunKind.values()).map(RunKind::apiName).toList());
    structure.get("dags").fields().forEachRemaining(dag -> dag.getValue().fieldNames().forEachRemaining(task ->
        assertTrue(kinds.contains(task.substring(0, task.indexOf('.'))), dag.getKey() + " step " + task + " is not one of "
            + kinds)));
  }

  /** publish, then the reminders and the report side by side: a failed reminder delivery holds no report back. */
  @Test
  void theMonthlyDagDeliversTheNewRemindersAfterPublishing() {
    JsonNode monthly = structure.get("dags").get("kaoping_monthly");
    assertEquals(Set.of("remind.submit", "report.submit"), names(monthly.get("publish.wait")));
    assertEquals(Set.of("remind.wait"), names(monthly.get("remind.submit")));
    assertEquals(Set.of(), names(monthly.get("remind.wait")));
  }

  /** The daily run delivers the reminders last: a bell days before a deadline cannot wait for the month's end. */
  @Test
  void theDailyDagDeliversTheNewRemindersAfterPublishing() {
    JsonNode daily = structure.get("dags").get("kaoping_daily");
    assertEquals(Set.of("remind.submit"), names(daily.get("publish.wait")));
    assertEquals(Set.of("remind.wait"), names(daily.get("remind.submit")));
    assertEquals(Set.of(), names(daily.get("remind.wait")));
  }

  private static Set<String> names(JsonNode node) {
    Set<String> out = new TreeSet<>();
    if (node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    } else {
      node.fieldNames().forEachRemaining(out::add);
    }
    return out;
  }
}
