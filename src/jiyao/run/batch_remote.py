"""The Batch API's routes and limits, and sending a batch file to an OpenAI-compatible endpoint and
fetching its results through the `openai` client's Files and Batches APIs (OpenAI, and servers
that implement the same routes). Light to import: openai is loaded only when a batch is sent."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..agent.llm import EndpointConfig

URL = "/v1/chat/completions"
MAX_REQUESTS = 50_000  # OpenAI's cap on requests per batch
MAX_BYTES = 190 * 2**20  # under OpenAI's 200 MB per batch input file
COMPLETION_WINDOW = "24h"  # the only window the Batch API offers
DONE = ("completed", "failed", "expired", "cancelled")


def _client(cfg: EndpointConfig):
    import openai

    return openai.OpenAI(base_url=cfg.base_url, api_key=cfg.api_key or "not-needed", timeout=cfg.timeout_s)


def submit(requests: str | Path, cfg: EndpointConfig) -> str:
    """Upload REQUESTS (purpose batch) and create a batch over it; the batch id."""
    client = _client(cfg)
    with open(requests, "rb") as f:
        uploaded = client.files.create(file=(Path(requests).name, f), purpose="batch")
    batch = client.batches.create(input_file_id=uploaded.id, endpoint=URL, completion_window=COMPLETION_WINDOW,
                                  metadata={"created_by": "jiyao"})
    return batch.id


def status(batch_id: str, cfg: EndpointConfig, download: str | Path | None = None) -> dict:
    """The batch's state; with DOWNLOAD and a finished batch, its output and error lines written
    there (one results file: failed requests are per-article errors at collect time)."""
    client = _client(cfg)
    b = client.batches.retrieve(batch_id)
    counts = b.request_counts
    info = {"id": b.id, "status": b.status, "total": counts.total if counts else None,
            "completed": counts.completed if counts else None, "failed": counts.failed if counts else None,
            "output_file_id": b.output_file_id, "error_file_id": b.error_file_id, "downloaded": None}
    if download and b.status in DONE:
        lines = 0
        with open(download, "wb") as out:
            for file_id in (b.output_file_id, b.error_file_id):
                if not file_id:
                    continue
                data = client.files.content(file_id).content
                if data and not data.endswith(b"\n"):
                    data += b"\n"
                out.write(data)
                lines += data.count(b"\n")
        info["downloaded"] = str(download)
        info["lines"] = lines
    return info
