"""International students' off-campus work authorization (CPT, pre-completion OPT, AT).

What other apps call (everything else is internal):

- Offers, inside the acceptance transaction:
  `services.case_open_for_acceptance(student=, start_date=, accepted_at=,
  posting_is_global=False) -> AuthorizationCase | None`: a new case each call; the offer
  keeps the link (Offer.authorization_case), so authorization knows nothing of offers.
  `services.case_withdraw(case=, by=, note=)` when an accepted offer falls through.
- Offer page, before accepting: `selectors.forecast_for(user, start_date=, from_date=None)`
  or the tag `{% offer_authorization_forecast start_date %}` (authorization_tags).
- Employers: `selectors.employer_view_status(case) -> "pending" | "confirmed" | "at_risk"`
  or `{% employer_authorization_label case %}`; never anything else about the case.
- Postings page: `selectors.guidance_for_posting(user, posting_fields=, posting_is_global=)`,
  `selectors.field_of_study_matches(profile, posting_fields)`, the include
  `authorization/_posting_guidance.html` or `{% posting_guidance fields is_global %}`.
- Pure rules and arithmetic: `eligibility.assess()`, `forecast.forecast()`.
"""
