"""The plain-words scan that runs with every axe check: it reads what a person reads (not attributes, not
code), and fails on ISO dates, Django's default form messages and "(s)" plurals."""

import pytest

from tests.browser.support import check_plain_words, plain_words_problems

pytestmark = pytest.mark.browser


def test_it_finds_an_iso_date_a_default_message_and_a_lazy_plural():
    problems = plain_words_problems("Starts 2026-12-14. This field is required. 1 loan(s) agreed.")

    assert len(problems) == 3
    assert "'2026-12-14'" in problems[0]
    assert "This field is required." in problems[1]
    assert "loan(s)" in problems[2]


def test_it_passes_govuk_dates_and_other_numbers():
    assert plain_words_problems("Starts 14 December 2026; E09000007; 2026-27; 12-14; 1 loan, 2 loans") == []


def test_it_reads_visible_text_not_attributes_or_code(page):
    page.set_content(
        '<main><p>Starts <time datetime="2026-12-14">14 December 2026</time>.</p>'
        '<a href="/api/v1/x?as_of=2026-12-14">the API</a> <code>/api/v1/x?as_of=2026-12-14</code>'
        '<input value="2026-12-14" aria-label="Day"></main>'
    )

    check_plain_words(page)


def test_it_fails_on_an_iso_date_in_the_page_text(page, monkeypatch):
    monkeypatch.delenv("SLIHUB_PLAIN_WORDS_REPORT", raising=False)  # report mode collects instead
    page.set_content('<main><p>Agreed <span class="x">on</span> 2026-12-14</p></main>')

    with pytest.raises(AssertionError, match="ISO date '2026-12-14'"):
        check_plain_words(page)
