"""The administrators' view of the translations for the person: which languages exist, are
complete, and still need review by a native speaker (issue 11, section 1)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from atpazit.accounts.tests.factories import member
from atpazit.lib.person_languages import PERSON_LANGUAGES

pytestmark = pytest.mark.django_db


def english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def test_a_system_administrator_sees_which_languages_need_review(client_for):
    response = client_for(english(member("system_admin"))).get(reverse("web:translations"))

    assert response.status_code == 200
    html = response.content.decode()
    needs_review = html.split('id="needs-review">')[1].split("</p>")[0]
    assert "Arabic" in needs_review
    assert "Uzbek" in needs_review
    assert "Interview prompts of the newest catalogue release" in html
    for code in PERSON_LANGUAGES:
        assert f'data-language="{code}"' in html
    assert '<span lang="ar" dir="rtl">العربية</span>' in html
    assert "draft: not reviewed by a native speaker" in html


def test_the_page_is_in_the_menu_of_a_system_administrator(client_for):
    html = client_for(english(member("system_admin"))).get(reverse("web:dashboard")).content

    assert reverse("web:translations").encode() in html


@pytest.mark.parametrize("role", ["bg_officer", "trainer", "auditor", "caseworker"])
def test_other_roles_may_not_open_it(client_for, role):
    response = client_for(member(role)).get(reverse("web:translations"))

    assert response.status_code == 403
