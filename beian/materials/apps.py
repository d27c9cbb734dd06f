from django.apps import AppConfig


class MaterialsConfig(AppConfig):
    name = "beian.materials"
    label = "materials"

    def ready(self) -> None:
        # App loading: the requirements read models, importable only once apps are ready.
        from beian.filings import labels, validation
        from beian.materials.requirements import kind_label, material_problems

        validation.register_check(material_problems)
        labels.register("materials", kind_label)
