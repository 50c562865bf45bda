"""/favicon.ico, which browsers and feed readers ask for whatever the page links: the hub's own mark (a
neutral one: the GOV.UK crown is Crown copyright and the hub is not on GOV.UK)."""

from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe


@require_safe
def favicon(request):
    return HttpResponsePermanentRedirect(static("web/favicon.svg"))
