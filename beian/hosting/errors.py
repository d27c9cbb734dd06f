from beian.core.errors import register

register(
    {
        "server_not_mainland": (
            "该服务器不在中国内地，无需也无法在此备案。",
            "This server is not in mainland China: it needs no filing and cannot be filed here.",
        ),
        "server_no_public_ip": (
            "该服务器没有公网 IP，不能申请备案服务号。",
            "This server has no public IP; no filing service code can be issued.",
        ),
        "server_pay_as_you_go": (
            "按量计费的服务器不能用于备案，请转为包年包月。",
            "Pay-as-you-go servers do not qualify; switch to a subscription.",
        ),
        "server_subscription_too_short": (
            "服务器购买时长须不少于 {months} 个月。",
            "The server must be subscribed for at least {months} months.",
        ),
        "server_expired": (
            "服务器已到期，请续费后再备案。",
            "The server's subscription has expired; renew it first.",
        ),
        "server_code_limit": (
            "每台服务器最多可申请 {limit} 个备案服务号。",
            "At most {limit} filing service codes can be issued per server.",
        ),
        "code_unknown": (
            "备案服务号不存在，请核对后重新输入。",
            "No such filing service code; check it and try again.",
        ),
        "code_used": (
            "该备案服务号已被使用，不能再次使用。",
            "This filing service code has been used up.",
        ),
        "code_invalid": ("该备案服务号已失效。", "This filing service code is no longer valid."),
        "code_revoke_bound": (
            "该备案服务号已被备案账号绑定，备案进行中，不能作废。",
            "This code is bound by a filing account for a filing under way; it cannot be revoked.",
        ),
        "code_revoke_used": (
            "该备案服务号已用于成功的备案，不能作废。",
            "This code was used by a successful filing; it cannot be revoked.",
        ),
        "code_already_revoked": ("该备案服务号已作废。", "This code is already revoked."),
        "not_hosting_owner": (
            "此页面仅供云服务器用户使用。",
            "This page is for hosting owners (the owners of servers) only.",
        ),
        "code_bound_elsewhere": (
            "该备案服务号已被其他账号绑定。",
            "This filing service code is bound to another account.",
        ),
    }
)
