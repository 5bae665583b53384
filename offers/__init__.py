"""Offers, their decision deadlines, extension requests, arrangements and reminders.

What other apps and the acceptance checks call (everything else is internal):

- `deadlines.decision_deadline(extended_at, business_days) -> datetime` (the contract) and
  `deadlines.business_days_left(deadline, now)`.
- `models.Offer.objects.visible_to(user)`: the student and the posting organization's members;
  no staff role (they use the admin). URL `offers:detail` (pk) for both; 404 for anybody else.
- Services (`offers.services`, keyword-only, each one transaction with row locks, a history
  row and notifications in the outbox): `offer_extend`, `offer_accept`, `offer_decline`,
  `offer_rescind`, `offers_expire_due` (the sweep), `extension_request`, `extension_answer`,
  `arrangement_propose`, `arrangement_confirm`, `offer_reverse_acceptance` (staff),
  `reneging_case_record` (staff).
- Reminders (`offers.reminders`): `decision_reminder_sweep`, `arrangement_reminder_sweep`,
  `start_reminder_sweep`; Celery tasks in `offers.tasks`, beat schedules in migration 0002.
- Demo: `offers.demo.seed_offers(today)`, called from the demo seed.
"""
