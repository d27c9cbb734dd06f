"""Refusal codes of uploads and generated forms, in Chinese and English."""

from beian.core.errors import register

register(
    {
        "material_missing": ("请上传：{material}", "Please upload: {material}"),
        "material_kind_unknown": ("未知的材料类型。", "Unknown kind of material."),
        "material_empty": ("请选择要上传的文件。", "Please choose a file to upload."),
        "material_type_not_allowed": (
            "文件格式不支持：仅接受 JPEG、PNG 图片或 PDF 文件（按文件内容判断，不看扩展名）。",
            "File type not accepted: only JPEG or PNG images or PDF files (judged by the content, not the name).",
        ),
        "material_image_required": (
            "此类材料须上传 JPEG 或 PNG 图片。",
            "This kind of material must be a JPEG or PNG image.",
        ),
        "material_too_large": (
            "文件过大：不得超过 {limit_mb} MB。",
            "File too large: at most {limit_mb} MB.",
        ),
        "material_image_invalid": (
            "图片无法读取，可能已损坏。",
            "The image cannot be read; it may be damaged.",
        ),
        "material_image_too_many_pixels": (
            "图片像素过多：不得超过 {megapixels} 百万像素。",
            "The image has too many pixels: at most {megapixels} megapixels.",
        ),
        "material_pdf_invalid": (
            "PDF 文件不完整或已损坏。",
            "The PDF file is incomplete or damaged.",
        ),
        "material_pdf_active_content": (
            "PDF 含有可执行内容（/{name}），不予接受：请上传扫描件或打印为 PDF 后重新上传。",
            "The PDF has active content (/{name}) and is refused: upload a scan, or print it to PDF again.",
        ),
        "material_pdf_encrypted": (
            "PDF 已加密，无法检查，不予接受：请上传未加密的文件。",
            "The PDF is encrypted and cannot be checked: upload an unencrypted file.",
        ),
        "material_pdf_too_complex": (
            "PDF 结构过于复杂，无法检查，不予接受：请上传扫描件或打印为 PDF 后重新上传。",
            "The PDF is too complex to check: upload a scan, or print it to PDF again.",
        ),
        "material_image_too_small": (
            "图片太小：至少 {width}×{height} 像素（当前 {actual_width}×{actual_height}）。",
            "Image too small: at least {width}×{height} pixels (this one is {actual_width}×{actual_height}).",
        ),
        "material_not_editable": (
            "当前状态（{state_zh}）下不能上传或更换此材料。",
            "This material cannot be uploaded or replaced in the current state ({state_en}).",
        ),
        "material_not_owner": (
            "只有备案申请人本人可以上传材料。",
            "Only the applicant may upload materials.",
        ),
        "material_reference_invalid": (
            "所选负责人、网站或域名不属于本备案订单。",
            "The chosen person in charge, website or domain is not part of this order.",
        ),
        "material_form_unknown": ("未知的表单。", "Unknown form."),
    }
)
