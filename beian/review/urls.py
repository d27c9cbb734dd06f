from django.urls import path

from beian.review import views

app_name = "review"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("queue/<slug:stage>/", views.queue, name="queue"),
    path("find/", views.find, name="find"),
    path("submit/", views.submit_selected, name="submit_selected"),
    path("backdrops/shipping-list/", views.shipping_list, name="shipping_list"),
    path("<str:number>/", views.application, name="application"),
    path("<str:number>/claim/", views.claim, name="claim"),
    path("<str:number>/release/", views.release, name="release"),
    path("<str:number>/approve/", views.approve, name="approve"),
    path("<str:number>/return/", views.return_application, name="return"),
    path("<str:number>/call/", views.record_call, name="call"),
    path("<str:number>/originals/", views.receive_originals, name="originals"),
    path("<str:number>/discrepancy/", views.originals_discrepancy, name="discrepancy"),
    path("<str:number>/ship/", views.ship_backdrop, name="ship"),
    path("<str:number>/point-photo/", views.point_photo, name="point_photo"),
    path("<str:number>/verify-photo/", views.verify_photo, name="verify_photo"),
    path("<str:number>/reject-photo/", views.reject_photo, name="reject_photo"),
    path("<str:number>/submit/", views.submit_one, name="submit"),
    path("<str:number>/photo.img", views.photo_file, name="photo_file"),
]
