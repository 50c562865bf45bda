"""Practices with pooled studies, made directly in the database (no files): what the practice page and
the comparison need, with the synthesis recomputed as an import would."""

from slihub.evidence import synthesis
from slihub.evidence.models import EffectEstimate, Outcome, Practice, PublishedPool, Study


def outcome(
    slug="child-behaviour-problems",
    name="Children's behaviour problems",
    *,
    higher_is_better=False,
    problem="behaviour",
) -> Outcome:
    found, _ = Outcome.objects.get_or_create(
        slug=slug, defaults={"name": name, "higher_is_better": higher_is_better, "problem": problem}
    )
    return found


def practice(slug, name, on: Outcome, studies, *, measure="SMD", **fields) -> Practice:
    """A practice whose ``studies`` — (citation, year, children, yi, vi[, inputs]) — are pooled on ``on``."""
    made = Practice.objects.create(slug=slug, name=name, source=fields.pop("source", "meta"), **fields)
    for i, (citation, year, n, yi, vi, *rest) in enumerate(studies):
        study = Study.objects.create(
            practice=made, key=f"s{i}", citation=citation, year=year, design="rct", n_total=n, country="UK"
        )
        EffectEstimate.objects.create(
            study=study, outcome=on, measure=measure, yi=yi, vi=vi, inputs=rest[0] if rest else {}
        )
    return made


def recompute(*practices) -> None:
    synthesis.recompute([p.pk for p in practices])


def published(
    practice, on, *, estimate, ci_lb, ci_ub, measure="SMD", method="REML", decimals=2
) -> PublishedPool:
    return PublishedPool.objects.create(
        practice=practice,
        outcome=on,
        measure=measure,
        method=method,
        estimate=estimate,
        ci_lb=ci_lb,
        ci_ub=ci_ub,
        decimals=decimals,
        k=practice.studies.count(),
        citation="Furlong M et al. (2012). Cochrane Database of Systematic Reviews",
        place="Analysis 1.1",
    )


#: a parenting programme's trials: behaviour problems fall (lower is better), so negative favours it
PARENTING = [
    ("Webster-Stratton 1998", 1998, 1250, -0.45, 0.04),
    ("Scott C (2001)", 2001, 141, -0.30, 0.03),
    ("Gardner F", 2006, 76, -0.52, 0.05),
]
