"""Refusal codes of the back office."""

from beian.core.errors import register

register(
    {
        "review_stage_unknown": ("没有这个队列", "There is no such queue"),
        "review_stage_forbidden": (
            "您的角色不能处理这个队列",
            "Your role does not work this queue",
        ),
        "review_claimed_by_other": (
            "该订单已由{user}认领",
            "This order is claimed by {user}",
        ),
        "review_not_claimed_by_you": ("该订单不是您认领的", "You have not claimed this order"),
        "review_claim_not_at_your_stage": (
            "该订单不在您岗位的办理环节，不能认领。",
            "This order is not at a stage your role works: it cannot be claimed.",
        ),
        "review_reason_template_field": (
            "退回模板不适用于所选字段",
            "The reason template does not fit the chosen field",
        ),
        "review_call_outcome": ("请选择通话结果", "Choose the outcome of the call"),
        "review_call_time": ("请填写有效的通话时间", "Enter a valid time of the call"),
        "review_document_count": (
            "份数必须是0到99之间的整数",
            "The number of copies must be a whole number from 0 to 99",
        ),
        "review_order_not_found": (
            "没有找到订单号 {number}",
            "No order numbered {number}",
        ),
        "review_nothing_selected": ("请至少选择一个订单", "Select at least one order"),
        "review_submission_failed": (
            "提交管局失败：{message}",
            "Submission to the administration failed: {message}",
        ),
        "review_cursor_invalid": (
            "翻页链接无效或已过期，请从第一页重新打开队列。",
            "This page link is not valid: open the queue again from its first page.",
        ),
        "review_no_photo": ("还没有核验照片", "There is no verification photo yet"),
    }
)
