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
