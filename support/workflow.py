"""The baked project's CI workflow, run here as GitHub would run its `run:` steps."""

from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass
class WorkflowRun:
    project: object
    directory: Path  # what the steps see as $RUNNER_TEMP
    steps: dict  # step name -> subprocess.CompletedProcess, in order

    def output(self, name):
        result = self.steps[name]
        return f"{name} exited {result.returncode}\n{result.stdout}\n{result.stderr}"


def workflow(project):
    return yaml.safe_load((project.path / ".github" / "workflows" / "ci.yml").read_text())


def run_workflow(project, directory):
    """Every `run:` step of the single job, in order, each with its own `env:`, in bash -e as
    GitHub runs them; a failed step stops the job, as on GitHub."""
    (job,) = workflow(project)["jobs"].values()
    steps = {}
    for step in job["steps"]:
        if "run" not in step:
            continue
        env = project.env(RUNNER_TEMP=str(directory), CI="true", **step.get("env", {}))
        result = project.run("bash", "-e", "-c", step["run"], env=env, check=False)
        steps[step["name"]] = result
        if result.returncode != 0:
            break
    return WorkflowRun(project, Path(directory), steps)
