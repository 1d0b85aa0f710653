"""The official `dashscope` Python SDK against the emulator's DashScope.

Nobody here wrote this client: every call it makes and every answer it parses
referees the emulator. Prints one JSON object per step on stdout (`{"step",
"status_code", "code", ...}`); tests/referee/referee.spec.ts asserts them.
Environment: DASHSCOPE_HTTP_BASE_URL (the emulator's /dashscope/api/v1),
DASHSCOPE_API_KEY, REFEREE_DATA (a valid fine-tune JSONL file).
"""
import json
import os
import sys

import dashscope
from dashscope import Files, FineTunes

dashscope.base_http_api_url = os.environ["DASHSCOPE_HTTP_BASE_URL"]
dashscope.api_key = os.environ["DASHSCOPE_API_KEY"]


def report(step, resp, **extra):
    """One line of evidence: what the SDK made of the answer."""
    out = {
        "step": step,
        "status_code": getattr(resp, "status_code", None),
        "code": getattr(resp, "code", None) or None,
        "message": getattr(resp, "message", None) or None,
    }
    out.update(extra)
    print(json.dumps(out), flush=True)


class Output:
    """The answer's `output`, whether the SDK left it a dict or parsed it into one of its typed models."""

    def __init__(self, resp):
        self.o = getattr(resp, "output", None)

    def get(self, key):
        if self.o is None:
            return None
        if isinstance(self.o, dict):
            return self.o.get(key)
        return getattr(self.o, key, None)


def output(resp):
    return Output(resp)


upload = Files.upload(file_path=os.environ["REFEREE_DATA"], description="referee data")
uploaded = output(upload).get("uploaded_files") or []
file_id = uploaded[0]["file_id"] if uploaded else None
report("files.upload", upload, file_id=file_id)
report("files.get", Files.get(file_id), name=output(Files.get(file_id)).get("name"))
listed = Files.list()
report("files.list", listed, total=output(listed).get("total"), ids=[f.get("file_id") for f in output(listed).get("files") or []])

hyper = {"n_epochs": 1, "batch_size": 8, "max_length": 2048}
created = FineTunes.call(model="qwen3-8b", training_file_ids=[file_id], hyper_parameters=hyper, mode="efficient_sft")
job_id = output(created).get("job_id")
report("fine_tunes.call", created, job_id=job_id, status=output(created).get("status"), hyper_parameters=output(created).get("hyper_parameters"))
got = FineTunes.get(job_id)
report("fine_tunes.get", got, job_id=output(got).get("job_id"), status=output(got).get("status"), model=output(got).get("model"))
jobs = FineTunes.list()
report("fine_tunes.list", jobs, ids=[j.get("job_id") if isinstance(j, dict) else getattr(j, "job_id", None) for j in output(jobs).get("jobs") or []])
report("fine_tunes.cancel", FineTunes.cancel(job_id))
report("fine_tunes.get after cancel", FineTunes.get(job_id), status=output(FineTunes.get(job_id)).get("status"))

# Error paths: the cloud's codes must reach the SDK's response as the service sends them.
report("fine_tunes.get unknown", FineTunes.get("ft-202601010000-ffff"))
report("fine_tunes.call without batch_size", FineTunes.call(model="qwen3-8b", training_file_ids=[file_id], hyper_parameters={"n_epochs": 1, "max_length": 2048}))
report("fine_tunes.call unknown file", FineTunes.call(model="qwen3-8b", training_file_ids=["file-ft-does-not-exist"], hyper_parameters=hyper))
report("files.delete", Files.delete(file_id))
report("files.get deleted", Files.get(file_id))
sys.exit(0)
