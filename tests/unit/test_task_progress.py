"""A key task's progress status read from its progress text (issue 15, point 8)."""

from __future__ import annotations

import pytest

from zhibiao.domain.task_progress import progress_status


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("", None),
        (None, None),
        ("已完成。", "done"),
        ("已全部完成年度建设任务", "done"),
        ("全面完成年度任务", "done"),
        ("完成年度计划的102%", "done"),
        ("…经省厅审核，相关工作已全部完成。", "done"),
        ("完成全年任务的61%", "on_track"),  # a share of the year's task is under way, not done
        ("截至6月底“5433”工程重点项目当年完成投资541.4亿元，占年度计划的47%。", "on_track"),
        ("完成起草《健康杭州行动三年计划（2020-2022）》。组织城区培训。", "on_track"),  # a step, not the task
        ("1.钻孔桩已全部完成；承台累计完成159个，完成占比约15%", "on_track"),
        ("正在积极开展项目前期的各项工作", "on_track"),
        ("受疫情影响，项目进度滞后，正在加快推进", "behind"),
        ("项目尚未开工", "behind"),
        ("推进缓慢，未达序时进度", "behind"),
    ],
)
def test_progress_status(text, status):
    assert progress_status(text) == status
