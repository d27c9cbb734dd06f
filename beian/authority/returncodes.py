"""Return codes of MIIT's enterprise interface 3.0, with Chinese text and English translation.

Two families share one number space without overlap:

* method return codes (``msg_code`` of isp_upload / isp_download / ...): 0-22, 901, 902, 999;
* data processing codes (``Jgdm`` in downloaded results): ICP 1001-1999, IP 2001-2999,
  domain 3001-3999, general 5001-5999.

The Chinese text is the specification's (``return-codes.md``), kept verbatim.
"""

from __future__ import annotations

from dataclasses import dataclass

# Categories: method / icp / ip / domain / general
CATEGORY_NAMES = {
    "method": ("方法调用类错误", "Method call"),
    "icp": ("ICP数据处理类错误", "ICP data processing"),
    "ip": ("IP数据处理类错误", "IP data processing"),
    "domain": ("域名数据处理类错误", "Domain data processing"),
    "general": ("通用类错误", "General"),
}


@dataclass(frozen=True)
class ReturnCode:
    code: int
    category: str  # method | icp | ip | domain | general
    zh: str
    en: str

    @property
    def is_method_code(self) -> bool:
        return self.category == "method"


_TABLE = [
    # 方法调用类错误 / Method call
    (0, "method", "操作成功", "Success"),
    (1, "method", "操作成功，数据已经下载完毕", "Success; all data has been downloaded"),
    (2, "method", "目前服务器端没有可以下载的数据", "No data to download on the server at present"),
    (
        3,
        "method",
        "服务器端数据需要下载，请继续调用本接口进行下载",
        "More data to download; call this method again",
    ),
    (4, "method", "用户名错误", "Wrong user name"),
    (5, "method", "密码错误", "Wrong password"),
    (6, "method", "解密失败", "Decryption failed"),
    (7, "method", "哈希值验证未通过", "Hash verification failed"),
    (8, "method", "解压缩失败", "Decompression failed"),
    (9, "method", "加密算法类型错误", "Wrong encryption algorithm type"),
    (10, "method", "Hash算法类型错误", "Wrong hash algorithm type"),
    (11, "method", "压缩格式错误", "Wrong compression format"),
    (
        12,
        "method",
        "认证信息错误，服务器拒绝响应",
        "Authentication failed; the server refuses to respond",
    ),
    (
        13,
        "method",
        "非本省ISP，服务器拒绝响应",
        "ISP not of this province; the server refuses to respond",
    ),
    (
        14,
        "method",
        "本次上载没有受理，请首先上载漏报的数据，然后再上载本次数据",
        "Upload not accepted: upload the missing data first, then this data",
    ),
    (
        15,
        "method",
        "本次上载没有受理，已上报的数据文件已超过最大受理数量，请稍后再提交",
        "Upload not accepted: the maximum number of pending files is reached; submit later",
    ),
    (
        16,
        "method",
        "认证错误，随机数小于20个字符，服务器拒绝响应",
        "Authentication error: the random value is shorter than 20 characters",
    ),
    (
        17,
        "method",
        "您上报的备案数据文件数量不符合要求（每次必须上报1个文件），服务器拒绝受理，请调整后重新上报",
        "Wrong number of data files (exactly 1 per upload); not accepted, adjust and upload again",
    ),
    (
        18,
        "method",
        "上报的备案数据文件过大，服务器拒绝响应，请将上报的备案数据文件调整为50MB内并重新上报",
        "Data file too large; reduce it to under 50 MB and upload again",
    ),
    (
        19,
        "method",
        "您的报备权限未开放，请联系所在省通信管理局",
        "Your filing permission is not open; contact your provincial communications administration",
    ),
    (
        20,
        "method",
        "请您在规定的时间段内进行报备，报备时间为：",
        "Please file within the allowed time window; the window is:",
    ),
    (
        21,
        "method",
        "回调响应文件名称不能为空，请核实后继续调用",
        "The callback response file name must not be empty",
    ),
    (
        22,
        "method",
        "备案密码校验超过X次，请仔细核对备案密码",
        "Filing password checked more than X times; check the filing password carefully",
    ),
    (
        901,
        "method",
        "系统正在维护中，您的报备请求未被受理，请稍后重新报备",
        "System under maintenance; your upload was not accepted, please upload again later",
    ),
    (
        902,
        "method",
        "系统正在维护中，您的下载请求未被受理，请稍后重新下载",
        "System under maintenance; your download was not accepted, please download again later",
    ),
    (999, "method", "其他错误", "Other error"),
    # ICP数据处理类错误 / ICP data processing
    (1001, "icp", "管局审核通过", "Approved by the provincial administration"),
    (1002, "icp", "管局审核拒绝", "Rejected by the provincial administration"),
    (
        1003,
        "icp",
        "网站主办者冲突，请核实后再次报备",
        "Website sponsor (subject) conflict; check and file again",
    ),
    (1004, "icp", "无效域名，请核实后再次报备", "Invalid domain; check and file again"),
    (
        1005,
        "icp",
        "域名冲突，该域名在备案信息库中已存在，请核实后再次报备",
        "Domain conflict: the domain already exists in the filing database; check and file again",
    ),
    (1006, "icp", "无效IP，请核实后再次报备", "Invalid IP; check and file again"),
    (
        1007,
        "icp",
        "无效联系方式，请核实后再次报备",
        "Invalid contact details; check and file again",
    ),
    (1008, "icp", "无效证件，请核实后再次报备", "Invalid certificate; check and file again"),
    (1009, "icp", "无效邮箱，请核实后再次报备", "Invalid e-mail; check and file again"),
    (1010, "icp", "无效办公电话，请核实后再次报备", "Invalid office phone; check and file again"),
    (1011, "icp", "无效手机号码，请核实后再次报备", "Invalid mobile number; check and file again"),
    (1012, "icp", "无效MSN，请核实后再次报备", "Invalid MSN; check and file again"),
    (1013, "icp", "无效QQ，请核实后再次报备", "Invalid QQ; check and file again"),
    (
        1014,
        "icp",
        "无效主办单位性质，请核实后再次报备",
        "Invalid unit nature of the sponsor; check and file again",
    ),
    (
        1015,
        "icp",
        "无效身份证号码，请核实后再次报备",
        "Invalid resident ID number; check and file again",
    ),
    (
        1016,
        "icp",
        "备案申请中的数据在备案信息库中不存在，请核实后再次报备",
        "The data in the request does not exist in the filing database; check and file again",
    ),
    (
        1017,
        "icp",
        "备案变更中，审核通过后可再次申请变更",
        "A change is in progress; a new change can be requested after it is approved",
    ),
    (
        1018,
        "icp",
        "ICP备案密码错误，请核实后再次报备",
        "Wrong ICP filing password; check and file again",
    ),
    (
        1019,
        "icp",
        "省市县代码错误，请核实后再次报备",
        "Wrong province/city/county code; check and file again",
    ),
    (1020, "icp", "网站名称冲突，请核实后再次报备", "Website name conflict; check and file again"),
    (
        1021,
        "icp",
        "网站首页地址冲突，在备案信息库中已存在该首页地址，请核实后再次报备",
        "Home page URL conflict: it already exists in the filing database; check and file again",
    ),
    (
        1022,
        "icp",
        "网站首页地址格式错误，请核实后再次报备",
        "Home page URL format error; check and file again",
    ),
    (
        1023,
        "icp",
        "备案申请中的IP数据在备案信息库中不存在，请核实后再次报备",
        "The IP data in the request does not exist in the filing database; check and file again",
    ),
    (
        1024,
        "icp",
        "备案信息中的IP地址冲突，请核实后再次报备",
        "IP address conflict in the filing; check and file again",
    ),
    (
        1025,
        "icp",
        "该网站只有一个接入，不能取消该接入",
        "The website has only one access; it cannot be cancelled",
    ),
    (
        1026,
        "icp",
        "注销理由代码错误，请核实后再次报备",
        "Wrong cancellation reason code; check and file again",
    ),
    (
        1027,
        "icp",
        "注销主体冲突，无需重复提交该主体的注销申请",
        "Subject cancellation conflict: a cancellation of this subject is already submitted",
    ),
    (1028, "icp", "ICP用户名错误，请核实后再次报备", "Wrong ICP user name; check and file again"),
    (
        1029,
        "icp",
        "同一个网站不允许有相同的接入，请核实后再次报备",
        "The same website cannot have identical accesses; check and file again",
    ),
    (
        1030,
        "icp",
        "注销网站冲突，无需重复提交该网站的注销申请",
        "Website cancellation conflict: a cancellation of this website is already submitted",
    ),
    (
        1031,
        "icp",
        "网站负责人办公电话不能为空，请核实后再次报备",
        "The website principal's office phone must not be empty; check and file again",
    ),
    (
        1032,
        "icp",
        "接入商已经对该网站提出取消接入请求，无需重复提交",
        "The provider has already requested to cancel access for this website",
    ),
    (
        1033,
        "icp",
        "无效的前置或专项审批内容类型，请核实后再次报备",
        "Invalid pre-approval or special approval content type; check and file again",
    ),
    (
        1034,
        "icp",
        "无效网站服务内容，请核实后再次报备",
        "Invalid website service content; check and file again",
    ),
    (
        1035,
        "icp",
        "无效网站接入方式，请核实后再次报备",
        "Invalid website access method; check and file again",
    ),
    (
        1036,
        "icp",
        "无效服务器放置地点，请核实后再次报备",
        "Invalid server location; check and file again",
    ),
    (
        1037,
        "icp",
        "该网站已经报备，无需重复报备",
        "This website is already filed; no need to file again",
    ),
    (
        1038,
        "icp",
        "该接入已经报备，无需重复报备",
        "This access is already filed; no need to file again",
    ),
    (
        1039,
        "icp",
        "该备案信息中的网站域名已经报备，无需重复报备",
        "The website domain in this filing is already filed; no need to file again",
    ),
    (
        1040,
        "icp",
        "该备案接入信息中的IP信息已经报备，无需重复报备",
        "The IP in this access is already filed; no need to file again",
    ),
    (
        1041,
        "icp",
        "网站首页URL中必须包含域名中的其中一项，请核实后再次报备",
        "The home page URL must contain one of the website's domains; check and file again",
    ),
    (
        1042,
        "icp",
        "主体正在注销中，不允许注销网站",
        "The subject is being cancelled; its websites cannot be cancelled",
    ),
    (
        1043,
        "icp",
        "网站正在注销中，不允许注销主体",
        "A website is being cancelled; the subject cannot be cancelled",
    ),
    (1044, "icp", "主体负责人姓名不能为空", "The subject principal's name must not be empty"),
    (
        1045,
        "icp",
        "接入商只能到其所在省通信管理局系统进行ICP备案信息的报备",
        "A provider may file ICP records only with its own provincial administration",
    ),
    (
        1046,
        "icp",
        "变更备案时不能改变主体所在省，如果需要修改，请先申请注销主体，然后重新报备",
        "A change cannot move the subject to another province; cancel the subject and file again",
    ),
    (
        1047,
        "icp",
        "只能取消本接入商的接入信息，请核实后再次报备",
        "You can cancel only your own access records; check and file again",
    ),
    (
        1048,
        "icp",
        "您试图操作的不是您接入的备案，这种操作是非法的，请核实后再次报备",
        "You are operating on a filing you do not host; this is not allowed",
    ),
    (
        1049,
        "icp",
        "主体已注销，您的请求被拒绝",
        "The subject is cancelled; your request is refused",
    ),
    (
        1050,
        "icp",
        "网站已注销，您的请求被拒绝",
        "The website is cancelled; your request is refused",
    ),
    (
        1051,
        "icp",
        "同一个接入商对同一个主体变更备案申请超过最大数，请稍后再试",
        "Too many change requests by one provider for the same subject; try again later",
    ),
    (
        1052,
        "icp",
        "您所提交的请求在原系统中正在受理，请稍后提交",
        "Your request is being processed in the old system; submit later",
    ),
    (
        1053,
        "icp",
        "您所提交的请求的单位已经被删除  请确认",
        "The unit of your request has been deleted; please confirm",
    ),
    (1054, "icp", "报备单位无效", "Invalid filing unit"),
    (
        1055,
        "icp",
        "核验单提交信息不是该备案核验单，请确认",
        "The submitted verification form does not belong to this filing; please confirm",
    ),
    (
        1056,
        "icp",
        "附件格式类型代码错误，请核实后再次报备",
        "Wrong attachment format code; check and file again",
    ),
    (
        1057,
        "icp",
        "附件用途类型代码错误，请核实后再次报备",
        "Wrong attachment purpose code; check and file again",
    ),
    (1058, "icp", "主体信息不存在", "Subject does not exist"),
    (1059, "icp", "网站信息不存在", "Website does not exist"),
    (1060, "icp", "核验单信息成功入库", "Verification form stored successfully"),
    (
        1061,
        "icp",
        "核验单用途类型与报备标识不匹配",
        "The verification form's purpose type does not match the filing identifier",
    ),
    (
        1062,
        "icp",
        "ICP接入信息比对IP库信息成功",
        "ICP access information matched the IP database successfully",
    ),
    (
        1063,
        "icp",
        "ICP备案接入信息中所使用的IP地址与你单位IP地址备案中报备的IP信息不一致，请核实后再次提交",
        "The IPs in the ICP access differ from the IPs your unit filed in the IP filing; check and submit again",
    ),
    (
        1064,
        "icp",
        "“XX”网站的“XX域名”在黑名单中，请核实后再次报备",
        "Domain “XX” of website “XX” is on the blacklist; check and file again",
    ),
    (
        1065,
        "icp",
        "主体在黑名单中，请核实后再次报备",
        "The subject is on the blacklist; check and file again",
    ),
    (
        1066,
        "icp",
        "网站语言类别错误，请核实后再次报备",
        "Wrong website language category; check and file again",
    ),
    (
        1067,
        "icp",
        "网站备案号或主键对应多个网站，请核实后再报备",
        "The website number or key matches several websites; check and file again",
    ),
    (
        1068,
        "icp",
        "网站备案号或主键对应多个缩略信息，请核实后再报备",
        "The website number or key matches several summary records; check and file again",
    ),
    (1999, "icp", "其他错误", "Other error"),
    # IP数据处理类错误 / IP data processing
    (2001, "ip", "没有此报备单位，请核实后再次报备", "No such filing unit; check and file again"),
    (
        2002,
        "ip",
        "报备信息中的起始IP大于终止IP，请核实后再次报备",
        "Start IP is greater than end IP; check and file again",
    ),
    (
        2003,
        "ip",
        "此IP段已报备，请核实后再次报备",
        "This IP range is already filed; check and file again",
    ),
    (
        2004,
        "ip",
        "此IP广播已经报备，请核查后再次报备",
        "This IP broadcast is already filed; check and file again",
    ),
    (
        2005,
        "ip",
        "此IP段未报备来源信息，请首先报备来源信息",
        "The source of this IP range is not filed; file the source first",
    ),
    (
        2006,
        "ip",
        "报备信息中的起始IP不是合法IP地址，请核实后再次报备",
        "Start IP is not a valid IP address; check and file again",
    ),
    (2007, "ip", "报备信息中的终止IP不是合法IP地址", "End IP is not a valid IP address"),
    (
        2008,
        "ip",
        "报备信息中的网关地址不是合法IP地址，请核实后再次报备",
        "Gateway address is not a valid IP address; check and file again",
    ),
    (
        2009,
        "ip",
        "报备信息中的单位分类不正确，请核实后再次报备",
        "Wrong unit classification; check and file again",
    ),
    (
        2010,
        "ip",
        "报备信息中的分配使用方式不能为空，请核实后再次报备",
        "Allocation/usage mode must not be empty; check and file again",
    ),
    (
        2011,
        "ip",
        "报备信息中的省市县信息错误，请核实后再次报备",
        "Wrong province/city/county; check and file again",
    ),
    (
        2012,
        "ip",
        "报备信息中的电话号码不是合法的电话号码，请核实后再次报备",
        "The phone number is not valid; check and file again",
    ),
    (
        2013,
        "ip",
        "报备信息中的Email不是有效的电子邮箱，请核实后再次报备",
        "The e-mail is not a valid mailbox; check and file again",
    ),
    (
        2014,
        "ip",
        "报备信息中的起始IP不能为空，请核实后再次报备",
        "Start IP must not be empty; check and file again",
    ),
    (
        2015,
        "ip",
        "报备信息中的终止IP不能为空，请核实后再次报备",
        "End IP must not be empty; check and file again",
    ),
    (
        2016,
        "ip",
        "报备信息中的广播单位不能为空，请核实后再次报备",
        "Broadcasting unit must not be empty; check and file again",
    ),
    (
        2017,
        "ip",
        "报备信息中的广播单位不存在，请核实后再次报备",
        "Broadcasting unit does not exist; check and file again",
    ),
    (
        2018,
        "ip",
        "报备信息中的申请广播单位不存在，请核实后再次报备",
        "Unit applying for broadcast does not exist; check and file again",
    ),
    (
        2019,
        "ip",
        "报备信息中的单位性质无效，请核实后再次报备",
        "Invalid unit nature; check and file again",
    ),
    (
        2020,
        "ip",
        "报备信息中的单位行业分类无效，请核实后再次报备",
        "Invalid unit industry classification; check and file again",
    ),
    (
        2021,
        "ip",
        "报备信息中的IP使用方式无效，请核实后再次报备",
        "Invalid IP usage mode; check and file again",
    ),
    (
        2022,
        "ip",
        "报备信息中的经营许可证不能为空，请核实后再次报备",
        "Operating licence must not be empty; check and file again",
    ),
    (
        2023,
        "ip",
        "报备信息中的单位行政级别无效，请核实后再次报备",
        "Invalid administrative level of the unit; check and file again",
    ),
    (
        2024,
        "ip",
        "报备信息中的省信息无效，请核实后再次报备",
        "Invalid province; check and file again",
    ),
    (2025, "ip", "报备信息中的市信息无效，请核实后再次报备", "Invalid city; check and file again"),
    (
        2026,
        "ip",
        "报备信息中的县信息无效，请核实后再次报备",
        "Invalid county; check and file again",
    ),
    (
        2027,
        "ip",
        "报备信息中的报备单位不能为空，请核实后再次报备",
        "Filing unit must not be empty; check and file again",
    ),
    (
        2028,
        "ip",
        "报备信息中的来源单位不能为空，请核实后再次报备",
        "Source unit must not be empty; check and file again",
    ),
    (
        2029,
        "ip",
        "报备信息中的来源单位不正确，请核实后再次报备",
        "Wrong source unit; check and file again",
    ),
    (
        2030,
        "ip",
        "报备信息中的使用时间不能为空，请核实后再次报备",
        "Usage time must not be empty; check and file again",
    ),
    (
        2031,
        "ip",
        "报备信息中的单位名称不能为空，请核实后再次报备",
        "Unit name must not be empty; check and file again",
    ),
    (
        2032,
        "ip",
        "报备信息中的IP使用方式不能为空，请核实后再次报备",
        "IP usage mode must not be empty; check and file again",
    ),
    (
        2033,
        "ip",
        "报备信息中的域名跳转不能为空，请核实后再次报备",
        "Domain redirection flag must not be empty; check and file again",
    ),
    (
        2034,
        "ip",
        "报备信息中的单位性质不能为空，请核实后再次报备",
        "Unit nature must not be empty; check and file again",
    ),
    (
        2035,
        "ip",
        "报备信息中的单位分类不能为空，请核实后再次报备",
        "Unit classification must not be empty; check and file again",
    ),
    (
        2036,
        "ip",
        "报备信息中的单位详细地址不能为空，请核实后再次报备",
        "Unit detailed address must not be empty; check and file again",
    ),
    (
        2037,
        "ip",
        "报备信息中的省信息不能为空，请核实后再次报备",
        "Province must not be empty; check and file again",
    ),
    (
        2038,
        "ip",
        "报备信息中的市信息不能为空，请核实后再次报备",
        "City must not be empty; check and file again",
    ),
    (
        2039,
        "ip",
        "报备信息中的联系人电话不能为空，请核实后再次报备",
        "Contact phone must not be empty; check and file again",
    ),
    (
        2040,
        "ip",
        "报备信息中的联系人姓名不能为空，请核实后再次报备",
        "Contact name must not be empty; check and file again",
    ),
    (
        2041,
        "ip",
        "报备信息中的分配使用方式无效，请核实后再次报备",
        "Invalid allocation/usage mode; check and file again",
    ),
    (
        2042,
        "ip",
        "报备信息中的联系人邮件不能为空，请核实后再次报备",
        "Contact e-mail must not be empty; check and file again",
    ),
    (
        2043,
        "ip",
        "报备信息中的网关IP地址不能为空，请核实后再次报备",
        "Gateway IP address must not be empty; check and file again",
    ),
    (
        2044,
        "ip",
        "报备信息中的网关物理地址不能为空，请核实后再次报备",
        "Gateway physical address must not be empty; check and file again",
    ),
    (
        2045,
        "ip",
        "报备信息中的来源单位名称不能为空，请核实后再次报备",
        "Source unit name must not be empty; check and file again",
    ),
    (
        2046,
        "ip",
        "报备信息中的来源单位类型不能为空，请核实后再次报备",
        "Source unit type must not be empty; check and file again",
    ),
    (
        2047,
        "ip",
        "报备信息中的分配对象不能为空，请核实后再次报备",
        "Allocation target must not be empty; check and file again",
    ),
    (
        2048,
        "ip",
        "报备信息中的分配单位不存在，请核实后再次报备",
        "The allocating unit does not exist; check and file again",
    ),
    (
        2049,
        "ip",
        "此信息已经报备，请核实后再次报备",
        "This information is already filed; check and file again",
    ),
    (
        2050,
        "ip",
        "分配和使用单位不能相同，请核实后再次报备",
        "Allocating and using unit must differ; check and file again",
    ),
    (2051, "ip", "无效的广播报备单位", "Invalid broadcast filing unit"),
    (
        2052,
        "ip",
        "报备信息中的来源单位和请求单位不能相同，请核实后再次报备",
        "Source unit and requesting unit must differ; check and file again",
    ),
    (
        2053,
        "ip",
        "报备信息中的申请广播单位与广播单位不能相同，请核实后再次报备",
        "Unit applying for broadcast and broadcasting unit must differ; check and file again",
    ),
    (
        2054,
        "ip",
        "接入商只能操作属于本接入商的IP备案信息，请核实后再次报备",
        "A provider may operate only on its own IP filings; check and file again",
    ),
    (
        2055,
        "ip",
        "备案申请中的IP数据在备案信息库中不存在，请核实后再次报备",
        "The IP data in the request does not exist in the filing database; check and file again",
    ),
    (
        2056,
        "ip",
        "备案信息中的IP地址冲突，请核实后再次报备",
        "IP address conflict in the filing; check and file again",
    ),
    (2998, "ip", "IP备案操作成功", "IP filing operation succeeded"),
    (2999, "ip", "其他错误", "Other error"),
    # 域名数据处理类错误 / Domain data processing
    (
        3001,
        "domain",
        "报备信息中的域名类型错误 ，请核实后再次报备",
        "Wrong domain type; check and file again",
    ),
    (
        3002,
        "domain",
        "报备信息中的域名注册时间不能为空，请核实后再次报备",
        "Domain registration date must not be empty; check and file again",
    ),
    (
        3003,
        "domain",
        "报备信息中的域名有效日期不能为空，请核实后再次报备",
        "Domain expiry date must not be empty; check and file again",
    ),
    (
        3004,
        "domain",
        "报备信息中的域名有效日期不能早于当前日期，请核实后再次报备",
        "Domain expiry date must not be earlier than today; check and file again",
    ),
    (
        3005,
        "domain",
        "报备信息中的域名服务器不能为空，请核实后再次报备",
        "Domain name server must not be empty; check and file again",
    ),
    (
        3006,
        "domain",
        "报备信息中的域名所属注册商不能为空，请核实后再次报备",
        "Domain registrar must not be empty; check and file again",
    ),
    (
        3007,
        "domain",
        "报备信息中的域名所属注册商名称中包含特殊字符、格式不正确或为空，请核实后再次报备",
        "Registrar name contains special characters, is malformed or empty; check and file again",
    ),
    (
        3008,
        "domain",
        "报备信息中的域名注册人名称不能为空，请核实后再次报备",
        "Registrant name must not be empty; check and file again",
    ),
    (
        3009,
        "domain",
        "报备信息中的域名注册人所在组织不能为空，请核实后再次报备",
        "Registrant organisation must not be empty; check and file again",
    ),
    (
        3010,
        "domain",
        "报备信息中的域名注册人所在省不能为空，请核实后再次报备",
        "Registrant province must not be empty; check and file again",
    ),
    (
        3011,
        "domain",
        "报备信息中的域名注册人所在城市不能为空，请核实后再次报备",
        "Registrant city must not be empty; check and file again",
    ),
    (
        3012,
        "domain",
        "报备信息中的域名注册人电子邮件不能为空，请核实后再次报备",
        "Registrant e-mail must not be empty; check and file again",
    ),
    (
        3013,
        "domain",
        "报备信息中的域名注册人电子邮件格式错误，请核实后再次报备",
        "Registrant e-mail format error; check and file again",
    ),
    (
        3014,
        "domain",
        "报备信息中的域名注册人电话号码不能为空，请核实后再次报备",
        "Registrant phone must not be empty; check and file again",
    ),
    (
        3015,
        "domain",
        "报备信息中的域名注册人电话号码格式错误，请核实后再次报备",
        "Registrant phone format error; check and file again",
    ),
    (
        3016,
        "domain",
        "报备信息中的域名注册人通信地址不能为空，请核实后再次报备",
        "Registrant postal address must not be empty; check and file again",
    ),
    (
        3017,
        "domain",
        "报备信息中的域名管理员名称不能为空，请核实后再次报备",
        "Domain administrator name must not be empty; check and file again",
    ),
    (
        3018,
        "domain",
        "报备信息中的域名管理员所在组织不能为空，请核实后再次报备",
        "Domain administrator organisation must not be empty; check and file again",
    ),
    (
        3019,
        "domain",
        "报备信息中的域名管理员所在省不能为空，请核实后再次报备",
        "Domain administrator province must not be empty; check and file again",
    ),
    (
        3020,
        "domain",
        "报备信息中的域名管理员所在城市不能为空，请核实后再次报备",
        "Domain administrator city must not be empty; check and file again",
    ),
    (
        3021,
        "domain",
        "报备信息中的域名管理员电子邮件不能为空，请核实后再次报备",
        "Domain administrator e-mail must not be empty; check and file again",
    ),
    (
        3022,
        "domain",
        "报备信息中的域名管理员电子邮件格式错误，请核实后再次报备",
        "Domain administrator e-mail format error; check and file again",
    ),
    (
        3023,
        "domain",
        "报备信息中的域名管理员电话号码不能为空，请核实后再次报备",
        "Domain administrator phone must not be empty; check and file again",
    ),
    (
        3024,
        "domain",
        "报备信息中的域名管理员电话号码格式错误，请核实后再次报备",
        "Domain administrator phone format error; check and file again",
    ),
    (
        3025,
        "domain",
        "报备信息中的域名管理员通信地址不能为空，请核实后再次报备",
        "Domain administrator postal address must not be empty; check and file again",
    ),
    (
        3026,
        "domain",
        "报备信息中的接入方式无效，请核实后再次报备",
        "Invalid access method; check and file again",
    ),
    (
        3027,
        "domain",
        "报备信息中的服务器放置地无效，请核实后再次报备",
        "Invalid server location; check and file again",
    ),
    (
        3028,
        "domain",
        "报备信息中的注册人省市错误，请核实后再次报备",
        "Wrong registrant province/city; check and file again",
    ),
    (
        3029,
        "domain",
        "报备信息中的管理员省市错误，请核实后再次报备",
        "Wrong administrator province/city; check and file again",
    ),
    (
        3030,
        "domain",
        "报备信息中的缴费人省市错误，请核实后再次报备",
        "Wrong payer province/city; check and file again",
    ),
    (
        3031,
        "domain",
        "报备信息中的注册时间格式错误，请核实后再次报备",
        "Registration date format error; check and file again",
    ),
    (
        3032,
        "domain",
        "报备信息中的有效日期格式错误，请核实后再次报备",
        "Expiry date format error; check and file again",
    ),
    (
        3033,
        "domain",
        "报备信息中的缴费人电话号码格式错误，请核实后再次报备",
        "Payer phone format error; check and file again",
    ),
    (
        3034,
        "domain",
        "报备信息中的缴费人电子邮件格式错误，请核实后再次报备",
        "Payer e-mail format error; check and file again",
    ),
    (
        3035,
        "domain",
        "报备信息中的域名注册时间超过当前时间，请核实后再次报备",
        "Domain registration date is in the future; check and file again",
    ),
    (
        3036,
        "domain",
        "域名报备单位只能到工信部备案系统进行域名报备，请核实后再次报备",
        "Domain filing units must file domains in the MIIT filing system; check and file again",
    ),
    (
        3037,
        "domain",
        "接入商只能操作属于本接入商的域名备案信息，请核实后再次报备",
        "A provider may operate only on its own domain filings; check and file again",
    ),
    (3998, "domain", "域名备案操作成功", "Domain filing operation succeeded"),
    (3999, "domain", "其他错误", "Other error"),
    # 通用类错误 / General
    (
        5001,
        "general",
        "数据文件格式不符合接口XSD规范，请核实后再次报备",
        "The data file does not match the interface XSD; check and file again",
    ),
    (
        5002,
        "general",
        "该属性不存在，请核实后再次报备",
        "This attribute does not exist; check and file again",
    ),
    (
        5003,
        "general",
        "XML中请求单位Id和报备单位Id不一致，请核实后再次报备",
        "Requesting unit id in the XML differs from the filing unit id; check and file again",
    ),
    (
        5004,
        "general",
        "接口版本错误，当前接口版本为“当前版本信息”",
        "Wrong interface version; the current version is “current version”",
    ),
    (
        5005,
        "general",
        "企业上报的未备案网站处理结果中的网站不属于该企业，请核实后再次报备",
        "A website in your unfiled-site handling result does not belong to your company",
    ),
    (
        5006,
        "general",
        "该未备案网站的处理结果已经上报，无需重复上报",
        "The handling result of this unfiled website is already reported",
    ),
    (
        5007,
        "general",
        "处理结果代码错误，请核实后再次报备",
        "Wrong handling result code; check and file again",
    ),
    (
        5008,
        "general",
        "上报信息中存在非法字符，请核实后再次报备",
        "The report contains illegal characters; check and file again",
    ),
    (
        5009,
        "general",
        "报备单位无此业务权限",
        "The filing unit has no permission for this business",
    ),
    (
        5010,
        "general",
        "您提交的附件格式不符合规范",
        "The attachment format you submitted does not conform",
    ),
    (5011, "general", "该功能目前未开放", "This function is not open at present"),
    (5999, "general", "其他错误", "Other error"),
]

CODES: dict[int, ReturnCode] = {row[0]: ReturnCode(*row) for row in _TABLE}

# Method return codes that mean "the call worked".
METHOD_SUCCESS = frozenset({0, 1, 2, 3})
APPROVED = 1001
REJECTED = 1002


def get(code: int) -> ReturnCode | None:
    return CODES.get(int(code))


def describe(code: int) -> tuple[str, str]:
    """(Chinese, English) text of a method return code or data processing code."""
    found = CODES.get(int(code))
    if found is None:
        return (f"未知代码 {code}", f"Unknown code {code}")
    return (found.zh, found.en)
