"""Reads for residence comments."""

from datetime import date

from django.db.models import Prefetch, Q

from members.models import LinkedPerson, ResidenceComment


def links_with_comments(cell, year):
    """The residence cell's linked residents during `year`, each with its comment
    of that year or None (two queries)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    links = list(
        LinkedPerson.objects.filter(residence_cell=cell, start__lte=last)
        .filter(Q(end__isnull=True) | Q(end__gte=first))
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=ResidenceComment.objects.filter(year=year),
                to_attr="year_comments",
            )
        )
        .order_by("full_name", "pk")
    )
    for link in links:
        link.comment = link.year_comments[0] if link.year_comments else None
    return links


def residence_comments(member_ids, year):
    """{member id: [comments of `year`]} given by residence cells to these members
    (one query): what the workplace cell reads in its annual rating sheet."""
    found = {}
    rows = (
        ResidenceComment.objects.filter(link__member_id__in=list(member_ids), year=year)
        .select_related("link__residence_cell", "link__member")
        .order_by("link__member__full_name", "pk")
    )
    for comment in rows:
        found.setdefault(comment.link.member_id, []).append(comment)
    return found
