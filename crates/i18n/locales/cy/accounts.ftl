# Accounts by e-mail (decision 0051), in Welsh. Keys match en/accounts.ftl one for one.
# REVIEW: until a Welsh speaker writes them, the messages below are the English text.

# REVIEW
forgot-title = Reset your password
# REVIEW
forgot-intro = Enter the email address you sign in with. If it belongs to an account, we will send a link to choose a new password. The link works once, for 1 hour.
# REVIEW
forgot-send = Send the link
# REVIEW
forgot-back = Back to sign in
# REVIEW
forgot-sent-title = Check your email
# REVIEW
forgot-sent-body = If the address you gave belongs to an account, a link to choose a new password is on its way to it. The link works once, for 1 hour.
# REVIEW
forgot-sent-not-arrived = If nothing arrives in a few minutes, check your spam folder, or ask your organisation's administrator.
# REVIEW
set-password-title = Choose a new password
# REVIEW
set-password-title-invitation = Choose your password
# REVIEW
set-password-intro = This link works once. When you have chosen your password you will be signed out everywhere else, and can sign in with it.
# REVIEW
set-password-new = New password
# REVIEW
set-password-hint = At least 12 characters. Three or four unrelated words are easy to remember and hard to guess
# REVIEW
set-password-again = Type the password again
# REVIEW
set-password-save = Save password
# REVIEW
link-unusable-title = This link cannot be used
# REVIEW
link-unusable-body = It has been used already, it has expired, or it was replaced by a newer link. Nothing has changed.
# REVIEW
link-unusable-new = Ask for a new link
# REVIEW
password-set-title = Your password is set
# REVIEW
password-set-body = You can now sign in with your email address and your new password.

# REVIEW
mail-subject-invitation = Your familytime account
# REVIEW
mail-subject-password-reset = Reset your familytime password
# REVIEW
mail-heading-invitation = Choose your password
# REVIEW
mail-heading-password-reset = Reset your password
# REVIEW
mail-invitation-intro = { $organisation } has made an account for you on familytime. Open the link below to choose your password.
# REVIEW
mail-password-reset-intro = Someone asked to reset the password of your familytime account. Open the link below to choose a new one.
# REVIEW
mail-link-works = The link works once, for { $hours } hours.
# REVIEW
mail-fact-account-link = Link
# REVIEW
mail-invitation-ignore = If you did not expect this message, you can ignore it.
# REVIEW
mail-password-reset-ignore = If you did not ask for this, ignore this message: your password has not changed.
# REVIEW
mail-link-footer = Sent by familytime for { $organisation }.

# REVIEW
outbox-kind-account_invitation = Account invitation
# REVIEW
outbox-kind-password_reset = Password reset link

# REVIEW
account-reminders-heading = Reminders by email
# REVIEW
account-reminders-legend = Do you want reminders before each session?
# REVIEW
account-reminders-hint = Messages about a change to a session, a cancellation, money owed or safety are always sent.
# REVIEW
account-reminders-on = Yes, send me reminders
# REVIEW
account-reminders-off = No, do not send me reminders
# REVIEW
account-reminders-save = Save
# REVIEW
account-reminders-saved-off = Saved: you will not get reminders before a session.
# REVIEW
account-reminders-saved-on = Saved: you will get reminders before each session.
# REVIEW
nav-print-queue = Letters to post
# REVIEW
pager-label-print-queue = Pages of the letters to post
# REVIEW
pager-page-of-print-queue = page of the letters to post
# REVIEW
pager-of-print-queue = of the letters to post
