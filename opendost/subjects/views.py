from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def organization_list(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {})


def person_list(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {})
