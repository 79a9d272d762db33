"""Where a key task stands, read from its progress text: done (完成), on track (推进中) or
behind (滞后). Precision first: a task is `done` only when the text says the task as a whole
is finished, `behind` only when it says so in words; anything else with a progress text is
under way. Supervision tables write progress in prose, so these are phrase rules."""

from __future__ import annotations

import re
from typing import Literal

ProgressStatus = Literal["done", "on_track", "behind"]
STATUS_LABELS: dict[str, str] = {"done": "完成", "on_track": "推进中", "behind": "滞后"}

# Said of the task, not of one step in it: 进度滞后, 推进缓慢, 未达序时进度, 尚未开工.
_BEHIND = re.compile(
    r"滞后|进度缓慢|推进缓慢|进展缓慢|未达(?:到)?序时|低于序时|落后于(?:序时|计划|年度)|"
    r"未能按期|未按期|延期|暂缓|停滞|尚未(?:开工|启动|开展)"
)
# The whole task finished, not one step of it (已全部完成整改 inside a list of steps is a step):
# the text opens with it (已完成…, 已全面完成…) or closes with it (…已全部完成。), or says the
# year's target is reached (完成全年任务, not 完成全年任务的61%).
_DONE_AT_EDGE = re.compile(
    r"^(?:已|均已)(?:全部|全面|提前|如期|按期)?完成|(?:已|均已)(?:全部|全面|提前|如期|按期)?完成[。；;]?$"
)
_DONE_YEAR = re.compile(r"(?:完成|实现)(?:全年|年度)(?:目标|任务|计划)(?:任务)?(?!的|\d)|完成率(?:达)?100%")
# 占年度计划的N%: a share of the year's plan; at 100 or more the task is done.
_SHARE_OF_PLAN = re.compile(r"(?:占|完成)(?:全年|年度)(?:计划|目标|任务)(?:的)?(\d+(?:\.\d+)?)%")


def progress_status(progress: str | None) -> ProgressStatus | None:
    """done, on_track or behind from a task's progress text; None when it has none."""
    if not progress or not progress.strip():
        return None
    text = progress.strip()
    if _BEHIND.search(text):
        return "behind"
    shares = [float(m.group(1)) for m in _SHARE_OF_PLAN.finditer(text)]
    if _DONE_AT_EDGE.search(text) or _DONE_YEAR.search(text) or (shares and min(shares) >= 100):
        return "done"
    return "on_track"
