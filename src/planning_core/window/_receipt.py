"""The receipt (立案回执) the applicant takes home from the window.

It carries the only copy of the query password the bureau will ever show: the store keeps
a hash. ``repr`` leaves the password out, so a receipt that ends up in a log does not leak
it; :meth:`Receipt.render` prints it, for the applicant.
"""

from __future__ import annotations

import attrs
import pendulum

from planning_core.permits import Material
from planning_core.timing import TimeLimit
from planning_core.window._password import format_password
from planning_core.window._text import zh_datetime, zh_list, zh_pickup

__all__ = ["Receipt"]


@attrs.frozen
class Receipt:
    """What intake hands back.

    :param case_number: the public number (from the ``planning_core_case_number`` hook).
    :param case_id: the engine's internal id (for the host; not printed).
    :param accepted: True when the materials were complete and the case was accepted on
        the spot (受理); False when the one-time notice was given instead.
    :param expected_pickup: the day the result can be collected (预取件日期): the committed
        limit counted from acceptance on the working-day calendar; None while materials are
        missing, because the limit starts only when they are complete.
    :param provisional: the expected pickup date crosses a year whose official holiday
        schedule is not published yet, so it may move; :meth:`render` marks it
        ``（暂定：2027年节假日安排尚未公布）``.
    :param missing: the one-time notice: every required material not handed in.
    :param password: the query password, shown once.
    """

    case_number: str
    case_id: str
    permit_type: str
    permit_name: str
    applicant: str
    project: str
    received_at: pendulum.DateTime
    accepted: bool
    expected_pickup: pendulum.Date | None
    provisional: bool
    committed_limit: TimeLimit
    materials_received: tuple[Material, ...]
    missing: tuple[Material, ...]
    bureau: str
    password: str = attrs.field(repr=False)

    def render(self) -> str:
        """The receipt as Chinese text, ready to print."""
        lines = [
            f"{self.bureau}立案回执" if self.bureau else "立案回执",
            f"案件编号：{self.case_number}",
            f"申请事项：{self.permit_name}",
            f"申请人：{self.applicant}",
            f"项目名称：{self.project}",
            f"收件时间：{zh_datetime(self.received_at)}",
            "已收材料：",
            *(zh_list([m.name for m in self.materials_received]) or ["  （无）"]),
        ]
        lines += self._outcome_lines()
        lines += [
            f"案件查询密码：{format_password(self.password)}",
            "  本密码只显示这一次，请妥善保管；凭案件编号和查询密码可在网上或电话查询办理进度。",
        ]
        return "\n".join(lines)

    def _outcome_lines(self) -> list[str]:
        if not self.accepted:
            return [
                "补正材料一次性告知（《中华人民共和国行政许可法》第三十二条）：",
                *zh_list([m.name for m in self.missing]),
                "  请补齐上述全部材料；材料齐全之日受理，预取件日期届时告知。",
            ]
        assert self.expected_pickup is not None
        return [
            f"办理状态：材料齐全，已受理（承诺时限{self.committed_limit.zh}）",
            f"预取件日期：{zh_pickup(self.expected_pickup, self.provisional)}",
        ]
