# The booking rules (issue 19, decision 0043): what a case may book, shown on the case's sessions
# page before the coordinator tries. Keys match cy/rules.ftl one for one.

rules-heading = What this case may book
rules-service-today = Contact today is { $service }.
rules-no-service = The case has no accepted service yet.
rules-changes = Changes of service, each from its date:
rules-missing-lead = Contact cannot be booked until:
rules-ready = Contact can be booked.
rules-held = On hold (the service is suspended)
rules-coming-note = A suspension puts contact sessions on hold: cancel each one from its booking page (cancelled by the centre, nothing is forfeited), or keep it held until the service resumes. Ending the service cancels them by the centre.
rules-suspended = The service is suspended: no contact can be booked. Resuming it makes the sessions on hold live again.
rules-resume = Resume the service

# The organisation's booking rules, set by its administrator (/settings/booking-rules).
booking-rules-title = Booking rules
booking-rules-lead = What must be done before a family's contact sessions can be booked. The same rules hold for bookings made in these pages and through the API.
booking-rules-previsits = Pre-visits before contact
booking-rules-previsits-hint = Contact sessions are refused until every adult on the case has had their pre-visit and agreed the centre's rules. Some centres allow a first supported visit straight away. Switching this on or off is recorded in the audit log.
booking-rules-previsits-yes = Book contact only after every adult's pre-visit
booking-rules-save = Save booking rules
booking-rules-saved = The booking rules have been saved.
booking-rules-stale-title = Someone else changed the booking rules
booking-rules-stale = They were changed after you opened this page, so your change was not saved. This page now shows them as they are: check them and save again if you still want to change them.
