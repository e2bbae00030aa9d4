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
