from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The project package as an app, for the commands that start the whole product
    (`beian serve`). It sits above every other app: see docs/decisions/0005."""

    name = "beian"
    label = "beian"
    verbose_name = "Beian"
