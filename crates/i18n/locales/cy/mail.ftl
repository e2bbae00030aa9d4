# The words of the e-mails familytime sends, in Welsh. Keys match en/mail.ftl one for one.
# REVIEW: the Welsh text of the e-mails is its own issue (issue 17); until a Welsh speaker writes
# it, every message below is the English text, so a Welsh reader is never sent a key.

# REVIEW
mail-subject-confirmed = Your session on { $date } is confirmed
# REVIEW
mail-subject-moved = Your session has moved to { $date }
# REVIEW
mail-subject-cancelled = Your session on { $date } is cancelled
# REVIEW
mail-subject-reminder-48h = Reminder: your session on { $date }
# REVIEW
mail-subject-reminder-24h = Reminder: your session is tomorrow, { $date }
# REVIEW
mail-subject-test = familytime test message
# REVIEW
mail-heading-confirmed = Your session is confirmed
# REVIEW
mail-heading-moved = Your session has moved
# REVIEW
mail-heading-cancelled = Your session is cancelled
# REVIEW
mail-heading-reminder-48h = Your session is in two days
# REVIEW
mail-heading-reminder-24h = Your session is tomorrow
# REVIEW
mail-heading-test = This is a test message
# REVIEW
mail-greeting = Hello,
# REVIEW
mail-times = Please arrive at { $arrive } and leave at { $leave }. These times are yours: please keep to them, so that everyone arrives and leaves safely.
# REVIEW
mail-moved-intro = Your session at { $centre } has moved to { $date }.
# REVIEW
mail-confirmed-intro = Your session at { $centre } on { $date } is confirmed.
# REVIEW
mail-reminder-intro = This is a reminder of your session at { $centre } on { $date }.
# REVIEW
mail-cancelled-intro = Your session at { $centre } on { $date } will not take place. If you have questions, please contact the centre.
# REVIEW
mail-calendar = A calendar invitation is attached: open it to add the session to your calendar.
# REVIEW
mail-calendar-cancel = A calendar cancellation is attached: open it to remove the session from your calendar.
# REVIEW
mail-cannot-come = If you cannot come, please tell the centre as soon as you can.
# REVIEW
mail-test-body = This message was sent by familytime to check that e-mail can be delivered. You do not need to do anything.
# REVIEW
mail-footer = This message was sent by { $centre }. Please do not reply to it: contact the centre instead.
# REVIEW
mail-fact-date = Date
# REVIEW
mail-fact-arrive = Arrive at
# REVIEW
mail-fact-leave = Leave at
# REVIEW
mail-fact-centre = Centre
# REVIEW
mail-fact-address = Address
# REVIEW
mail-fact-entrance = Entrance
# REVIEW
mail-fact-waiting-room = Waiting room
# REVIEW
mail-entrance-usual = The usual way in

# The outbox page (administrators)
# REVIEW
nav-outbox = Outbox
# REVIEW
outbox-title = E-mail outbox
# REVIEW
outbox-intro = Every e-mail to families, newest first: waiting to be sent, being sent, sent, and failed. A failed message was refused by the mail server and will not be tried again: check the person's e-mail address. Addresses are not shown here.
# REVIEW
outbox-show = Show
# REVIEW
outbox-state-all = All messages
# REVIEW
outbox-filter = Show these
# REVIEW
outbox-empty = No messages.
# REVIEW
outbox-when = Written (UTC)
# REVIEW
outbox-kind = Message
# REVIEW
outbox-subject = Subject
# REVIEW
outbox-state = State
# REVIEW
outbox-attempts = Attempts
# REVIEW
outbox-why = Last answer
# REVIEW
outbox-state-queued = Waiting
# REVIEW
outbox-state-sending = Being sent
# REVIEW
outbox-state-sent = Sent
# REVIEW
outbox-state-failed = Failed
# REVIEW
outbox-kind-booking_confirmed = Booking confirmed
# REVIEW
outbox-kind-booking_moved = Booking moved
# REVIEW
outbox-kind-booking_cancelled = Booking cancelled
# REVIEW
outbox-kind-reminder_48h = Reminder, 2 days before
# REVIEW
outbox-kind-reminder_24h = Reminder, the day before
# REVIEW
outbox-kind-test = Test message
# REVIEW
pager-label-outbox = Pages of the outbox
# REVIEW
pager-page-of-outbox = page of the outbox
# REVIEW
pager-of-outbox = of the outbox

## Decision 0050 (English until a Welsh speaker writes it)

# REVIEW
mail-subject-referral-received = Your referral { $reference } has been received
# REVIEW
mail-subject-referral-accepted = Your referral { $reference } has been accepted
# REVIEW
mail-subject-referral-declined = Your referral { $reference } has been declined
# REVIEW
mail-subject-session-missed = { $reference }: a session on { $date } was missed
# REVIEW
mail-subject-session-stopped = { $reference }: a session on { $date } was stopped early
# REVIEW
mail-subject-report-released = A report is ready for you to read
# REVIEW
mail-subject-self-referral-received = We have received your referral { $reference }
# REVIEW
mail-heading-referral-received = Referral received
# REVIEW
mail-heading-referral-accepted = Referral accepted
# REVIEW
mail-heading-referral-declined = Referral declined
# REVIEW
mail-heading-session-missed = A session was missed
# REVIEW
mail-heading-session-stopped = A session was stopped early
# REVIEW
mail-heading-report-released = A report is ready
# REVIEW
mail-heading-self-referral-received = Referral received
# REVIEW
mail-body-referral-received = { $centre } has received your referral. Its reference is { $reference }: please use it when you contact the centre. We will tell you when the centre has decided whether it can offer a service.
# REVIEW
mail-body-referral-accepted = { $centre } has accepted your referral { $reference }. The centre will arrange the pre-visits and sessions with the family.
# REVIEW
mail-body-referral-declined = { $centre } is not able to accept your referral { $reference }. Please contact the centre to discuss it.
# REVIEW
mail-body-session-missed = The session for { $reference } on { $date } at { $time } did not go ahead as planned: { $who } did not attend, as recorded in the session's register.
# REVIEW
mail-body-session-stopped = The session for { $reference } on { $date } at { $time } was stopped early by the supervisor. The session's record will be in the centre's report; please contact the centre if you need to know more now.
# REVIEW
mail-body-report-released = { $centre } has released a report to you. Sign in to read it: { $link }
# REVIEW
mail-body-self-referral-received = Thank you: { $centre } has received your referral. Its reference is { $reference }: please use it when you contact the centre. The centre will be in touch about what happens next.
# REVIEW
mail-report-sign-in = The report is not attached to this message: it can only be read after signing in.
# REVIEW
mail-who-resident = the parent the child lives with (the resident parent)
# REVIEW
mail-who-visiting = the visiting parent
# REVIEW
mail-who-other = another adult named on the referral
# REVIEW
mail-who-nobody = nobody
# REVIEW
mail-fact-reference = Reference
# REVIEW
mail-fact-time = Time
# REVIEW
mail-fact-link = Read it at
# REVIEW
outbox-kind-referral_received = Referral received
# REVIEW
outbox-kind-referral_accepted = Referral accepted
# REVIEW
outbox-kind-referral_declined = Referral declined
# REVIEW
outbox-kind-session_missed = Missed session (to the referrer)
# REVIEW
outbox-kind-session_stopped = Session stopped (to the referrer)
# REVIEW
outbox-kind-report_released = Report released (a link)
# REVIEW
outbox-kind-self_referral_received = Self-referral received
# REVIEW
outbox-due-by = Send by (UTC)
# REVIEW
outbox-overdue = Overdue
