from django.apps import AppConfig


class MaterialsConfig(AppConfig):
    name = "beian.materials"
    label = "materials"

    def ready(self) -> None:
        # App loading: the requirements read models, importable only once apps are ready.
        from beian.filings import validation
        from beian.materials.requirements import material_problems

        validation.register_check(material_problems)
