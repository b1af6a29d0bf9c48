"""A reference organisation of a municipal planning bureau (市城乡规划局), for demos and tests.

Modelled on the bureau of the seed's summary: a public window for intake and collection,
the undertaking divisions (建设工程规划管理处, 用地规划处, 村镇规划处), divisions that
countersign (规划编制处, 法规处, 规划监察处), the leadership (分管副局长, 局长) and the
certificate clerk (发证). Post limits are examples a bureau might fix; a host loads its own
organisation instead.
"""

from __future__ import annotations

from planning_core.timing import TimeLimit
from planning_core.workflow._organisation import Actor, Authority, Division, Organisation, Post

__all__ = ["reference_organisation"]

_DIVISIONS = (
    Division("WINDOW", "行政审批服务窗口"),
    Division("CONSTRUCTION", "建设工程规划管理处"),
    Division("LAND_USE", "用地规划处"),
    Division("PLAN_COMPILATION", "规划编制处"),
    Division("RURAL", "村镇规划处"),
    Division("LEGAL", "法规处"),
    Division("SUPERVISION", "规划监察处"),
    Division("LEADERSHIP", "局领导"),
)


def _post(
    code: str,
    name: str,
    division: str,
    authority: Authority,
    duties: str,
    days: int | None,
) -> Post:
    limit = None if days is None else TimeLimit.working_days(days)
    return Post(code, name, division, authority, duties, limit)


_STAFF = Authority.STAFF
_HEAD = Authority.DIVISION_HEAD

_POSTS = (
    _post(
        "WINDOW_CLERK",
        "窗口受理员",
        "WINDOW",
        _STAFF,
        "收件，核对申请材料，材料不全的一次告知补正，出具立案回执和案件查询密码。",
        1,
    ),
    _post(
        "CERTIFICATE_CLERK",
        "发证员",
        "WINDOW",
        _STAFF,
        "按审批结果制作证件，编号登记，通知申请人取件并发放证件或不予许可决定书。",
        2,
    ),
    _post(
        "CONSTRUCTION_REVIEWER",
        "建设工程审核员",
        "CONSTRUCTION",
        _STAFF,
        "审核建设工程设计方案、总平面图是否符合控制性详细规划和规划条件，提出审核意见。",
        5,
    ),
    _post(
        "CONSTRUCTION_HEAD",
        "建设工程规划管理处处长",
        "CONSTRUCTION",
        _HEAD,
        "复核审核意见，主持处务会，签署处室意见。",
        3,
    ),
    _post(
        "LAND_REVIEWER",
        "用地审核员",
        "LAND_USE",
        _STAFF,
        "审核项目选址、用地位置和范围是否符合规划，核定规划条件，提出审核意见。",
        5,
    ),
    _post(
        "LAND_HEAD",
        "用地规划处处长",
        "LAND_USE",
        _HEAD,
        "复核审核意见，主持处务会，签署处室意见。",
        3,
    ),
    _post(
        "PLANNING_REVIEWER",
        "规划编制审核员",
        "PLAN_COMPILATION",
        _STAFF,
        "会签：核对项目与总体规划、控制性详细规划的符合性。",
        3,
    ),
    _post(
        "RURAL_REVIEWER",
        "村镇审核员",
        "RURAL",
        _STAFF,
        "审核乡镇报送的乡村建设申请是否符合乡规划、村庄规划，提出审核意见。",
        4,
    ),
    _post(
        "RURAL_HEAD",
        "村镇规划处处长",
        "RURAL",
        _HEAD,
        "复核审核意见，主持处务会，签署处室意见。",
        3,
    ),
    _post(
        "LEGAL_REVIEWER",
        "法规审核员",
        "LEGAL",
        _STAFF,
        "会签：审查许可的法律依据、程序和文书是否合法。",
        3,
    ),
    _post(
        "SUPERVISION_INSPECTOR",
        "规划监察员",
        "SUPERVISION",
        _STAFF,
        "会签：现场踏勘，核对建设现状、临时建设的位置和使用期限。",
        3,
    ),
    _post(
        "DEPUTY_HEAD",
        "分管副局长",
        "LEADERSHIP",
        Authority.DEPUTY_HEAD,
        "审批分管业务的许可事项，签发证件。",
        2,
    ),
    _post(
        "BUREAU_HEAD",
        "局长",
        "LEADERSHIP",
        Authority.BUREAU_HEAD,
        "主持局务会，审批重大事项，批准延长办理期限。",
        None,
    ),
)

_ACTORS = (
    Actor("zhang.min", "张敏", ("WINDOW_CLERK",)),
    Actor("liu.yang", "刘洋", ("CERTIFICATE_CLERK", "WINDOW_CLERK")),
    Actor("wang.jianguo", "王建国", ("CONSTRUCTION_REVIEWER",)),
    Actor("li.hua", "李华", ("CONSTRUCTION_HEAD",)),
    Actor("zhao.lei", "赵磊", ("LAND_REVIEWER",)),
    Actor("chen.jing", "陈静", ("LAND_HEAD",)),
    Actor("sun.li", "孙丽", ("PLANNING_REVIEWER",)),
    Actor("zhou.qiang", "周强", ("RURAL_REVIEWER",)),
    Actor("huang.fang", "黄芳", ("RURAL_HEAD",)),
    Actor("wu.tao", "吴涛", ("LEGAL_REVIEWER",)),
    Actor("zheng.wei", "郑伟", ("SUPERVISION_INSPECTOR",)),
    Actor("ma.zhi", "马志", ("DEPUTY_HEAD",)),
    Actor("gao.ming", "高明", ("BUREAU_HEAD",)),
)


def reference_organisation() -> Organisation:
    """The reference bureau: 8 divisions, 13 posts, 13 actors (one holds two posts)."""
    return Organisation(_DIVISIONS, _POSTS, _ACTORS)
