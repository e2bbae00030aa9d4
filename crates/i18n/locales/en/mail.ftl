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
