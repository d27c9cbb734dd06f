from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "beian.demo"
    label = "demo"
    verbose_name = "演示数据 / Demo data"
