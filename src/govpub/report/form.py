"""The 政府网站工作年度报表: every field of the national form, in its order and wording.

The form is the one annexed to 国办函〔2018〕12号 (《国务院办公厅关于做好政府网站年度
报表发布工作的通知》), as agencies publish it every January: its rows, their
grouping and their units. Its labels are official wording, not interface
text, so they are written here in Chinese and never translated; the page, the
CSV and the office's data file all take them from this one table.

Each field is either **computed** from the repository as it stood at the end
of the year (site identity, publications, service items, comments, platforms)
or **filled in by the office** in ``site_config/annual/<YEAR>.yml`` (visits,
staff, budget, security work, …). An office field's key is its path in that
file (``visits.unique_visitors``).
"""

from __future__ import annotations

from dataclasses import dataclass

#: ``kind`` of a field: how its value is written and validated
TEXT, COUNT, NUMBER, YESNO, CHOICE, FEATURES, DATE = (
    "text", "count", "number", "yesno", "choice", "features", "date")

SITE_TYPES = ("政府门户网站", "部门网站")
INNOVATIONS = ("搜索即服务", "多语言版本", "无障碍浏览", "千人千网")
MULTILINGUAL = "多语言版本"


@dataclass(frozen=True)
class Field:
    key: str  # stable id: the CSV's 字段代码 and, for office fields, the path in <YEAR>.yml
    labels: tuple[str, ...]  # one to three levels of the form's row headings
    kind: str = COUNT
    office: bool = False  # filled in by the office, not computed
    #: office field that applies only when the site has this kind of platform
    needs_platform: str | None = None

    @property
    def label(self) -> str:
        return " / ".join(self.labels)

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.key.split("."))


def _office(key: str, *labels: str, kind: str = COUNT, needs_platform: str | None = None
            ) -> Field:
    return Field(key, labels, kind, office=True, needs_platform=needs_platform)


#: the form's table, row by row
FIELDS: tuple[Field, ...] = (
    Field("site.name", ("网站名称",), TEXT),
    Field("site.url", ("首页网址",), TEXT),
    Field("site.organizer", ("主办单位",), TEXT),
    _office("site.type", "网站类型", kind=CHOICE),
    Field("site.code", ("政府网站标识码",), TEXT),
    Field("site.icp", ("ICP备案号",), TEXT),
    Field("site.public_security", ("公安机关备案号",), TEXT),
    _office("visits.unique_visitors", "独立用户访问总量（单位：个）"),
    _office("visits.total", "网站总访问量（单位：次）"),
    Field("publication.total", ("信息发布（单位：条）", "总数")),
    Field("publication.overview", ("信息发布（单位：条）", "概况类信息更新量")),
    Field("publication.news", ("信息发布（单位：条）", "政务动态信息更新量")),
    Field("publication.disclosure", ("信息发布（单位：条）", "信息公开目录信息更新量")),
    _office("topics.maintained", "专栏专题（单位：个）", "维护数量"),
    _office("topics.new", "专栏专题（单位：个）", "新开设数量"),
    Field("interpretation.total", ("解读回应", "解读信息发布", "总数（单位：条）")),
    Field("interpretation.materials", ("解读回应", "解读信息发布", "解读材料数量（单位：条）")),
    _office("interpretation.products", "解读回应", "解读信息发布", "解读产品数量（单位：个）"),
    _office("interpretation.media", "解读回应", "解读信息发布", "媒体评论文章数量（单位：篇）"),
    _office("interpretation.responses", "解读回应", "回应公众关注热点或重大舆情数量（单位：次）"),
    Field("services.catalog", ("办事服务", "是否发布服务事项目录"), YESNO),
    _office("services.registered_users", "办事服务", "注册用户数（单位：个）"),
    Field("services.items", ("办事服务", "政务服务事项数量（单位：项）")),
    Field("services.fully_online", ("办事服务", "可全程在线办理政务服务事项数量（单位：项）")),
    Field("services.cases.total", ("办事服务", "办件量（单位：件）", "总数")),
    _office("services.cases.natural", "办事服务", "办件量（单位：件）", "自然人办件量"),
    _office("services.cases.legal", "办事服务", "办件量（单位：件）", "法人办件量"),
    _office("interaction.unified_platform", "互动交流", "是否使用统一平台", kind=YESNO),
    Field("interaction.messages.received", ("互动交流", "留言办理", "收到留言数量（单位：条）")),
    Field("interaction.messages.closed", ("互动交流", "留言办理", "办结留言数量（单位：条）")),
    Field("interaction.messages.average_days",
          ("互动交流", "留言办理", "平均办理时间（单位：天）"), NUMBER),
    Field("interaction.messages.published", ("互动交流", "留言办理", "公开答复数量（单位：条）")),
    _office("interaction.surveys.count", "互动交流", "征集调查", "征集调查期数（单位：期）"),
    _office("interaction.surveys.opinions", "互动交流", "征集调查", "收到意见数量（单位：条）"),
    _office("interaction.surveys.results", "互动交流", "征集调查", "公布调查结果期数（单位：期）"),
    _office("interaction.interviews.count", "互动交流", "在线访谈", "访谈期数（单位：期）"),
    _office("interaction.interviews.questions", "互动交流", "在线访谈", "网民留言数量（单位：条）"),
    _office("interaction.interviews.answers", "互动交流", "在线访谈",
            "答复网民提问数量（单位：条）"),
    _office("interaction.smart_qa", "互动交流", "是否提供智能问答功能", kind=YESNO),
    _office("security.assessments", "安全防护", "安全检测评估次数（单位：次）"),
    _office("security.problems_found", "安全防护", "发现问题数量（单位：个）"),
    _office("security.problems_fixed", "安全防护", "问题整改数量（单位：个）"),
    _office("security.monitoring", "安全防护", "是否建立安全监测预警机制", kind=YESNO),
    _office("security.drills", "安全防护", "是否开展应急演练", kind=YESNO),
    _office("security.responsible", "安全防护", "是否明确网站安全责任人", kind=YESNO),
    Field("new_media.present", ("移动新媒体", "是否有移动新媒体"), YESNO),
    Field("new_media.weibo.name", ("移动新媒体", "微博", "名称"), TEXT),
    _office("new_media.weibo.posts", "移动新媒体", "微博", "信息发布量（单位：条）",
            needs_platform="weibo"),
    _office("new_media.weibo.followers", "移动新媒体", "微博", "关注量（单位：个）",
            needs_platform="weibo"),
    Field("new_media.wechat.name", ("移动新媒体", "微信", "名称"), TEXT),
    _office("new_media.wechat.posts", "移动新媒体", "微信", "信息发布量（单位：条）",
            needs_platform="wechat"),
    _office("new_media.wechat.subscribers", "移动新媒体", "微信", "订阅数（单位：个）",
            needs_platform="wechat"),
    Field("new_media.other", ("移动新媒体", "其他"), TEXT),
    _office("innovation.features", "创新发展", "、".join(INNOVATIONS), kind=FEATURES),
    _office("innovation.other", "创新发展", "其他", kind=TEXT),
    _office("staff", "机构人员（单位：人）"),
    _office("budget", "经费（单位：万元）", kind=NUMBER),
)

#: the lines under the table: who answers for the figures, and when they were filled in
SIGNATURE: tuple[Field, ...] = (
    _office("signature.leader", "单位负责人", kind=TEXT),
    _office("signature.reviewer", "审核人", kind=TEXT),
    _office("signature.filled_by", "填报人", kind=TEXT),
    _office("signature.phone", "联系电话", kind=TEXT),
    _office("signature.filled_on", "填报日期", kind=DATE),
)

ALL_FIELDS = FIELDS + SIGNATURE
OFFICE_FIELDS = tuple(f for f in ALL_FIELDS if f.office)
BY_KEY = {f.key: f for f in ALL_FIELDS}

YESNO_HINT = "填 是 或 否（也可写 true、false）"
#: where the office's figures come from, in plain words (the data file's comments)
OFFICE_HINTS = {
    "site.type": "政府门户网站或部门网站",
    "visits.unique_visitors": "全年访问网站的独立用户数，取自网站访问统计",
    "visits.total": "全年网站页面访问总次数，取自网站访问统计",
    "topics.maintained": "年内维护的专栏专题总数",
    "topics.new": "年内新开设的专栏专题数",
    "interpretation.products": "图解、音视频、动漫等解读产品数",
    "interpretation.media": "媒体发表的评论文章数",
    "interpretation.responses": "回应公众关注热点或重大舆情的次数",
    "services.registered_users": "网上办事系统的注册用户数",
    "services.cases.natural": "自然人（个人）办件量",
    "services.cases.legal": "法人（单位）办件量",
    "interaction.unified_platform": YESNO_HINT,
    "interaction.smart_qa": YESNO_HINT,
    "security.monitoring": YESNO_HINT,
    "security.drills": YESNO_HINT,
    "security.responsible": YESNO_HINT,
    "new_media.weibo.posts": "各政务微博全年发布信息条数之和",
    "new_media.weibo.followers": "年底各政务微博关注量之和",
    "new_media.wechat.posts": "各政务微信全年发布信息条数之和",
    "new_media.wechat.subscribers": "年底各政务微信订阅数之和",
    "innovation.features": "从 搜索即服务、多语言版本、无障碍浏览、千人千网 中列出已实现的，"
                           "如 [搜索即服务, 无障碍浏览]；都没有的写 []（多语言版本由站点语言自动判断）",
    "innovation.other": "其他创新做法，没有的写“无”",
    "staff": "从事网站工作的人员数",
    "budget": "全年网站建设和运维经费，单位万元，可有小数",
    "signature.leader": "单位负责人姓名",
    "signature.reviewer": "审核人姓名",
    "signature.filled_by": "填报人姓名",
    "signature.phone": "联系电话（办公固定电话）",
    "signature.filled_on": "填报日期，如 2026-01-15",
}
