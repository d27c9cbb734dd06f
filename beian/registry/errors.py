from beian.core.errors import register

register(
    {
        "registry.rate_limited": (
            "查询过于频繁，请 {seconds} 秒后再试。",
            "Too many look-ups; please try again in {seconds} seconds.",
        ),
        "registry.query_empty": (
            "请输入域名、备案号或主办单位名称。",
            "Enter a domain, an ICP number or a filer name.",
        ),
        "registry.query_too_long": (
            "查询内容过长。",
            "The query is too long.",
        ),
    }
)
