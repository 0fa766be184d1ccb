"""The Section 251 outturn line catalogue used by scripts/spending.py (2008-09 to 2013-14).

DfE renumbered, renamed, moved and truncated the budget lines every year, so lines are matched on their
DESCRIPTION, normalised (`normalise`), to a stable snake_case code; the longest known prefix wins, which
also catches 2011-12's truncated descriptions ("Commissioning and social work (includes LA functions in
relation to") and 2013-14's "(included in lines 27 and 28 above)" suffixes.
"""

from __future__ import annotations

import re

# Normalised description prefix -> line code. One code per service concept across years; where DfE
# moved a line between sections (adoption, special guardianship, social work) the code stays the same
# and SOCIAL_CARE_BLOCKS below says how to sum the years comparably.
LINES = {
    # Youth justice (one line "Youth Justice" from 2011-12, coded as the block total)
    "secure accommodation youth justice": "youth_justice_secure_accommodation",
    "youth offender teams": "youth_offending_teams",
    "other youth justice service": "youth_justice_other",
    "total youth justice": "youth_justice_total",
    "youth justice": "youth_justice_total",
    # Sure Start children's centres and early years (from 2010-11)
    "spend on local authority management costs relating to sure start": "sure_start_management",
    "spend by individual sure start childrens centres": "sure_start_individual_centres",
    "spend on local authority provided or commissioned area wide services": "sure_start_area_wide_services",
    "other early years": "other_early_years",
    "total sure start childrens centres": "sure_start_total",
    "spend on evidence based early intervention services": "sure_start_early_intervention_memo",
    # Children looked after
    "residential care": "residential_care",
    "fostering services": "fostering_services",
    "other children looked after": "other_looked_after_services",
    "secure accommodation welfare": "secure_accommodation_welfare",
    "short breaks respite for looked after": "short_breaks_looked_after",
    "children placed with family and friends": "family_and_friends_placements",
    "advocacy services for children looked after": "advocacy_looked_after",
    "education of looked after children": "education_looked_after",
    "leaving care support services": "leaving_care",
    "asylum seeker services children": "asylum_seeker_services",
    "unaccompanied asylum children": "unaccompanied_asylum_children",
    "unaccompanied asylum children accommodation": "uasc_accommodation",
    "accommodation": "uasc_accommodation",
    "unaccompanied asylum children assessment and care management": "uasc_assessment_care_management",
    "assessment and care management": "uasc_assessment_care_management",
    "total asylum seeker": "asylum_seekers_total",
    "total children looked after": "looked_after_total",
    "adoption services": "adoption_services",
    "special guardianship support": "special_guardianship_support",
    # Children and young people's safety (to 2011-12) / safeguarding (from 2012-13)
    "child death": "child_death_review",
    "preventative services": "preventative_services",
    "la functions in relation to child protection": "child_protection_functions",
    "local safeguarding childrens board": "lscb",
    "commissioning and social work": "commissioning_and_social_work",
    "social work includes la functions in relation to child protection": "social_work",
    "comissioning and childrens services strategy": "commissioning_and_strategy",
    "total children and young peoples safety": "safeguarding_total",
    "total safeguarding children and young peoples services": "safeguarding_total",
    # Family support
    "direct payments": "direct_payments",
    "short breaks respite for disabled children": "short_breaks_disabled_children",
    "home care services": "home_care_services",
    "equiptment and adaptations": "equipment_and_adaptations",
    "other family support services": "other_family_support",
    "contribution to health care of individual children": "health_care_contribution",
    "other support for disabled children": "other_support_disabled_children",
    "intensive family interventions": "intensive_family_interventions",
    "other targeted family support": "other_targeted_family_support",
    "targeted family support": "targeted_family_support",
    "universal family support": "universal_family_support",
    "total family support services": "family_support_total",
    # Other children's and families services
    "other childrens and families services": "other_children_families_services",
    "other childrens and family services": "other_children_families_services",
    "total other childrens and families services": "other_children_families_total",
    # Children's services strategy (a separate section to 2011-12)
    "childrens and young peoples plan": "cyp_plan",
    "childrens social care workforce grant": "social_care_workforce_grant",
    "partnership costs": "partnership_costs",
    "central commissioning function": "central_commissioning",
    "total childrens services strategy": "strategy_total",
    "childrens services strategy": "strategy_total",
    # Services for young people
    "substances misuse services": "substance_misuse_services",
    "substance misuse services": "substance_misuse_services",
    "teenage pregnancy services": "teenage_pregnancy_services",
    "universal services for young people": "young_people_universal",
    "targeted services for young people": "young_people_targeted",
    "other services for young people": "young_people_other",
    "connexions": "connexions",
    "student support": "student_support",
    "total services for young people": "young_people_total",
    "youth work memorandum": "youth_work_memo",
    # Other and budget totals
    "child trust fund top ups": "child_trust_fund",
    "unknown": "unknown",
    "capital expenditure from revenue cera": "cera",
    "total children and young peoples services budget excluding cera": "cyp_budget_excl_cera",
    "children and young peoples services budget excluding cera": "cyp_budget_excl_cera",
    "total children and young peoples services budget including cera": "cyp_budget_incl_cera",
    "children and young peoples services budget including cera": "cyp_budget_incl_cera",
}
TOTALS = {"youth_justice_total", "sure_start_total", "asylum_seekers_total", "looked_after_total",
          "safeguarding_total", "family_support_total", "other_children_families_total", "strategy_total",
          "young_people_total", "cyp_budget_excl_cera", "cyp_budget_incl_cera"}
# Lines printed after the budget total that are not part of it (checked against the totals).
MEMORANDUM = {
    "2010-11": {"sure_start_early_intervention_memo", "youth_work_memo", "unknown"},
    "2011-12": {"sure_start_early_intervention_memo", "sure_start_management", "youth_work_memo"},
    "2012-13": {"substance_misuse_services", "teenage_pregnancy_services"},
    "2013-14": {"substance_misuse_services", "teenage_pregnancy_services"},
}
FAMILY_SUPPORT_0810 = ["direct_payments", "short_breaks_disabled_children", "home_care_services",
                       "equipment_and_adaptations", "other_family_support", "health_care_contribution"]
# Children's social care on the 2012-13 definition (= LAIT's TotalLACFinance + SafeguardingFinance +
# FamilySupportFinance + OtherChildren&FamilyFinance): the lines whose total expenditure adds up to each
# block in each year. Blocks never hold a total together with one of its own lines.
SOCIAL_CARE_BLOCKS = {
    "2008-09": {"looked_after": ["looked_after_total", "asylum_seekers_total", "adoption_services",
                                 "special_guardianship_support"],
                "safeguarding": ["safeguarding_total", "strategy_total"],
                "family_support": FAMILY_SUPPORT_0810,
                "other_children_families": ["other_children_families_services"]},
    "2009-10": {"looked_after": ["looked_after_total", "adoption_services", "special_guardianship_support"],
                "safeguarding": ["safeguarding_total", "strategy_total"],
                "family_support": FAMILY_SUPPORT_0810,
                "other_children_families": ["other_children_families_services"]},
    "2010-11": {"looked_after": ["looked_after_total", "adoption_services", "special_guardianship_support"],
                "safeguarding": ["safeguarding_total", "strategy_total", "commissioning_and_social_work"],
                "family_support": ["family_support_total"],
                "other_children_families": ["other_children_families_services"]},
    "2011-12": {"looked_after": ["looked_after_total", "adoption_services", "special_guardianship_support"],
                "safeguarding": ["safeguarding_total", "strategy_total"],
                "family_support": ["family_support_total"],
                "other_children_families": ["other_children_families_services"]},
    "2012-13": {"looked_after": ["looked_after_total"], "safeguarding": ["safeguarding_total"],
                "family_support": ["family_support_total"],
                "other_children_families": ["other_children_families_services"]},
}
SOCIAL_CARE_BLOCKS["2013-14"] = SOCIAL_CARE_BLOCKS["2012-13"]


def normalise(description: str) -> str:
    """Description without its line number, apostrophes, punctuation or case: comparable across years."""
    text = re.sub(r"^\s*\d+\s*", "", description).lower().replace("\u2019", "").replace("'", "")
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def line_code(description: str) -> str | None:
    """The stable code of a publisher's line description (longest matching prefix), or None."""
    key = normalise(description)
    matches = [prefix for prefix in LINES if key == prefix or key.startswith(prefix + " ")]
    return LINES[max(matches, key=len)] if matches else None


def role(period: str, code: str) -> str:
    """`memorandum` (outside the budget total), `total` (a section or budget total) or `line`."""
    if code in MEMORANDUM.get(period, set()):
        return "memorandum"
    return "total" if code in TOTALS else "line"


def social_care_block(period: str, code: str) -> str | None:
    """The children's social care block a line is summed into in that year, if any."""
    for block, codes in SOCIAL_CARE_BLOCKS.get(period, {}).items():
        if code in codes:
            return block
    return None
