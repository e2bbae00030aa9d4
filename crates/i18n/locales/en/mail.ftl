# The words of the e-mails familytime sends (issue 17, decision 0044): booking confirmed, moved and
# cancelled, and the reminders before a session. English is the source; cy/mail.ftl has the same
# keys. Subject lines say nothing sensitive: never a child's name, never another person's name.
# Names of centres and entrances are passed in as variables and never translated.

## Subject lines

mail-subject-confirmed = Your session on { $date } is confirmed
mail-subject-moved = Your session has moved to { $date }
mail-subject-cancelled = Your session on { $date } is cancelled
mail-subject-reminder-48h = Reminder: your session on { $date }
mail-subject-reminder-24h = Reminder: your session is tomorrow, { $date }
mail-subject-test = familytime test message

## Headings

mail-heading-confirmed = Your session is confirmed
mail-heading-moved = Your session has moved
mail-heading-cancelled = Your session is cancelled
mail-heading-reminder-48h = Your session is in two days
mail-heading-reminder-24h = Your session is tomorrow
mail-heading-test = This is a test message

## What each message says

mail-greeting = Hello,
mail-times = Please arrive at { $arrive } and leave at { $leave }. These times are yours: please keep to them, so that everyone arrives and leaves safely.
mail-moved-intro = Your session at { $centre } has moved to { $date }.
mail-confirmed-intro = Your session at { $centre } on { $date } is confirmed.
mail-reminder-intro = This is a reminder of your session at { $centre } on { $date }.
mail-cancelled-intro = Your session at { $centre } on { $date } will not take place. If you have questions, please contact the centre.
mail-calendar = A calendar invitation is attached: open it to add the session to your calendar.
mail-calendar-cancel = A calendar cancellation is attached: open it to remove the session from your calendar.
mail-cannot-come = If you cannot come, please tell the centre as soon as you can.
mail-test-body = This message was sent by familytime to check that e-mail can be delivered. You do not need to do anything.
mail-footer = This message was sent by { $centre }. Please do not reply to it: contact the centre instead.

## The facts listed in a message

mail-fact-date = Date
mail-fact-arrive = Arrive at
mail-fact-leave = Leave at
mail-fact-centre = Centre
mail-fact-address = Address
mail-fact-entrance = Entrance
mail-fact-waiting-room = Waiting room
mail-entrance-usual = The usual way in

## The outbox page (administrators)

nav-outbox = Outbox
outbox-title = E-mail outbox
outbox-intro = Every e-mail to families, newest first: waiting to be sent, being sent, sent, and failed. A failed message was refused by the mail server and will not be tried again: check the person's e-mail address. Addresses are not shown here.
outbox-show = Show
outbox-state-all = All messages
outbox-filter = Show these
outbox-empty = No messages.
outbox-when = Written (UTC)
outbox-kind = Message
outbox-subject = Subject
outbox-state = State
outbox-attempts = Attempts
outbox-why = Last answer
outbox-state-queued = Waiting
outbox-state-sending = Being sent
outbox-state-sent = Sent
outbox-state-failed = Failed
outbox-kind-booking_confirmed = Booking confirmed
outbox-kind-booking_moved = Booking moved
outbox-kind-booking_cancelled = Booking cancelled
outbox-kind-reminder_48h = Reminder, 2 days before
outbox-kind-reminder_24h = Reminder, the day before
outbox-kind-test = Test message
pager-label-outbox = Pages of the outbox
pager-page-of-outbox = page of the outbox
pager-of-outbox = of the outbox

## Decision 0050: to referrers, the report's link, the self-referral's acknowledgement
## (who did not attend is named by their part in the case, never by name)

mail-subject-referral-received = Your referral { $reference } has been received
mail-subject-referral-accepted = Your referral { $reference } has been accepted
mail-subject-referral-declined = Your referral { $reference } has been declined
mail-subject-session-missed = { $reference }: a session on { $date } was missed
mail-subject-session-stopped = { $reference }: a session on { $date } was stopped early
mail-subject-report-released = A report is ready for you to read
mail-subject-self-referral-received = We have received your referral { $reference }
mail-heading-referral-received = Referral received
mail-heading-referral-accepted = Referral accepted
mail-heading-referral-declined = Referral declined
mail-heading-session-missed = A session was missed
mail-heading-session-stopped = A session was stopped early
mail-heading-report-released = A report is ready
mail-heading-self-referral-received = Referral received
mail-body-referral-received = { $centre } has received your referral. Its reference is { $reference }: please use it when you contact the centre. We will tell you when the centre has decided whether it can offer a service.
mail-body-referral-accepted = { $centre } has accepted your referral { $reference }. The centre will arrange the pre-visits and sessions with the family.
mail-body-referral-declined = { $centre } is not able to accept your referral { $reference }. Please contact the centre to discuss it.
mail-body-session-missed = The session for { $reference } on { $date } at { $time } did not go ahead as planned: { $who } did not attend, as recorded in the session's register.
mail-body-session-stopped = The session for { $reference } on { $date } at { $time } was stopped early by the supervisor. The session's record will be in the centre's report; please contact the centre if you need to know more now.
mail-body-report-released = { $centre } has released a report to you. Sign in to read it: { $link }
mail-body-self-referral-received = Thank you: { $centre } has received your referral. Its reference is { $reference }: please use it when you contact the centre. The centre will be in touch about what happens next.
mail-report-sign-in = The report is not attached to this message: it can only be read after signing in.
mail-who-resident = the parent the child lives with (the resident parent)
mail-who-visiting = the visiting parent
mail-who-other = another adult named on the referral
mail-who-nobody = nobody
mail-fact-reference = Reference
mail-fact-time = Time
mail-fact-link = Read it at
outbox-kind-referral_received = Referral received
outbox-kind-referral_accepted = Referral accepted
outbox-kind-referral_declined = Referral declined
outbox-kind-session_missed = Missed session (to the referrer)
outbox-kind-session_stopped = Session stopped (to the referrer)
outbox-kind-report_released = Report released (a link)
outbox-kind-self_referral_received = Self-referral received
outbox-due-by = Send by (UTC)
outbox-overdue = Overdue
