# Accounts by e-mail (issue 17, decision 0051): the "forgot password" and set-password pages, and
# the messages that carry a link to set a password.

forgot-title = Reset your password
forgot-intro = Enter the email address you sign in with. If it belongs to an account, we will send a link to choose a new password. The link works once, for 1 hour.
forgot-send = Send the link
forgot-back = Back to sign in
forgot-sent-title = Check your email
forgot-sent-body = If the address you gave belongs to an account, a link to choose a new password is on its way to it. The link works once, for 1 hour.
forgot-sent-not-arrived = If nothing arrives in a few minutes, check your spam folder, or ask your organisation's administrator.
set-password-title = Choose a new password
set-password-title-invitation = Choose your password
set-password-intro = This link works once. When you have chosen your password you will be signed out everywhere else, and can sign in with it.
set-password-new = New password
set-password-hint = At least 12 characters. Three or four unrelated words are easy to remember and hard to guess
set-password-again = Type the password again
set-password-save = Save password
link-unusable-title = This link cannot be used
link-unusable-body = It has been used already, it has expired, or it was replaced by a newer link. Nothing has changed.
link-unusable-new = Ask for a new link
password-set-title = Your password is set
password-set-body = You can now sign in with your email address and your new password.

mail-subject-invitation = Your familytime account
mail-subject-password-reset = Reset your familytime password
mail-heading-invitation = Choose your password
mail-heading-password-reset = Reset your password
mail-invitation-intro = { $organisation } has made an account for you on familytime. Open the link below to choose your password.
mail-password-reset-intro = Someone asked to reset the password of your familytime account. Open the link below to choose a new one.
mail-link-works = The link works once, for { $hours } hours.
mail-fact-account-link = Link
mail-invitation-ignore = If you did not expect this message, you can ignore it.
mail-password-reset-ignore = If you did not ask for this, ignore this message: your password has not changed.
mail-link-footer = Sent by familytime for { $organisation }.

outbox-kind-account_invitation = Account invitation
outbox-kind-password_reset = Password reset link

account-reminders-heading = Reminders by email
account-reminders-legend = Do you want reminders before each session?
account-reminders-hint = Messages about a change to a session, a cancellation, money owed or safety are always sent.
account-reminders-on = Yes, send me reminders
account-reminders-off = No, do not send me reminders
account-reminders-save = Save
account-reminders-saved-off = Saved: you will not get reminders before a session.
account-reminders-saved-on = Saved: you will get reminders before each session.
nav-print-queue = Letters to post
pager-label-print-queue = Pages of the letters to post
pager-page-of-print-queue = page of the letters to post
pager-of-print-queue = of the letters to post
