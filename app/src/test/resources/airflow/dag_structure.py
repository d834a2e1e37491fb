"""Parses a DAG folder as Airflow's DAG processor does and writes, as JSON, the import errors and each DAG's tasks
with their downstream tasks: python dag_structure.py <dag folder> <output file>."""
import json
import sys

from airflow.dag_processing.dagbag import DagBag

bag = DagBag(dag_folder=sys.argv[1])
structure = {
    "errors": {path: str(error) for path, error in bag.import_errors.items()},
    "dags": {dag_id: {task.task_id: sorted(task.downstream_task_ids) for task in dag.tasks}
             for dag_id, dag in bag.dags.items()},
}
with open(sys.argv[2], "w", encoding="utf-8") as out:
    json.dump(structure, out, indent=1, sort_keys=True)
