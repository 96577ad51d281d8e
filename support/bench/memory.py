"""Peak memory of storing a large file through the default storage: disk, or a bucket on
its emulator."""

from ..object_stores import object_store
from ..project import bake

MEMORY_SCRIPT = """
import os, re, sys, tempfile
import django
django.setup()
from django.core.files import File
from django.core.files.storage import storages
storage, size = storages["default"], int(sys.argv[1]) * 1024 * 1024
with tempfile.TemporaryFile() as file:
    chunk = os.urandom(1024 * 1024)
    for _ in range(size // len(chunk)):
        file.write(chunk)
    file.seek(0)
    name = storage.save("bench/large.bin", File(file, name="large.bin"))
assert storage.size(name) == size, storage.size(name)
storage.delete(name)
# VmHWM, not ru_maxrss: the latter keeps the parent's peak across fork and exec.
print(int(re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1)) // 1024)
"""


def store_large_file(project, env, megabytes):
    result = project.run(project.python, "-c", MEMORY_SCRIPT, str(megabytes), env=env, timeout=900)
    return int(result.stdout.split()[-1])


def bucket_upload_memory(work, option, megabytes):
    """Peak RSS storing the file in the option's bucket, its emulator on loopback."""
    project = bake(work / f"{option}-bake", media_storage=option, project_name=f"Bench {option}")
    project.install()
    (work / option).mkdir()
    with object_store(option, work / option) as store:
        env = project.prod_env(work / f"{option}-files", **store.env)
        return store_large_file(project, env, megabytes)
