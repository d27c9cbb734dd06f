from django.urls import path

from beian.filings import views

app_name = "filings"

urlpatterns = [
    path("", views.my_applications, name="list"),
    path("need-filing/", views.need_filing, name="need_filing"),
    path("inbox/", views.inbox, name="inbox"),
    path("start/", views.start, name="start"),
    path("records/<int:subject_id>/", views.later_filing, name="later_filing"),
    path(
        "records/<int:subject_id>/forgot-password/",
        views.forgot_password_of_record,
        name="forgot_password_of_record",
    ),
    path("<str:number>/", views.application, name="application"),
    path("<str:number>/subject/", views.edit_subject, name="subject"),
    path("<str:number>/websites/<int:website_id>/", views.edit_website, name="website"),
    path("<str:number>/remarks/", views.edit_remarks, name="remarks"),
    path(
        "<str:number>/forgot-password/",
        views.forgot_password_of_application,
        name="forgot_password_of_application",
    ),
    path("<str:number>/submit/", views.submit, name="submit"),
    path("<str:number>/resolve/", views.resolve_page, name="resolve"),
    path("<str:number>/resolve.json", views.resolve_check, name="resolve_check"),
    path("<str:number>/photo/", views.photo, name="photo"),
    path("<str:number>/withdraw/", views.withdraw, name="withdraw"),
    path("<str:number>/do/<str:event>/", views.fire_event, name="event"),
]
