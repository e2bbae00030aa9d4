# Two-factor sign-in (issue 18 item 4, decision 0052): the sign-in's second step, enrolment,
# recovery codes, one's own settings and the organisation's sign-in policy.
# FOR A WELSH SPEAKER TO REVIEW: every message below is still in English (marked "REVIEW").

# REVIEW
two-factor-code-title = Enter your security code
# REVIEW
two-factor-code-lead = Open the authenticator app on your phone and enter the 6-digit code it shows for familytime.
# REVIEW
two-factor-code-label = Security code
# REVIEW
two-factor-code-hint = 6 digits, or one of your recovery codes if you do not have your phone
# REVIEW
two-factor-continue = Continue
# REVIEW
two-factor-code-lost = If you have lost your phone and your recovery codes, ask your organisation's administrator to reset your two-factor sign-in.
# REVIEW
two-factor-expired = Your sign-in timed out before it was finished. Enter your email address and password again
# REVIEW
two-factor-enrol-title = Set up two-factor sign-in
# REVIEW
two-factor-enrol-required = Your organisation requires two-factor sign-in for your role. Set it up to continue.
# REVIEW
two-factor-enrol-step-app = Install an authenticator app on your phone, if you do not have one.
# REVIEW
two-factor-enrol-step-scan = In the app, add an account and scan this QR code, or type in the key below it.
# REVIEW
two-factor-enrol-step-code = Enter the 6-digit code the app then shows.
# REVIEW
two-factor-enrol-qr-label = QR code to scan with your authenticator app
# REVIEW
two-factor-enrol-manual = If you cannot scan the code, type in this key
# REVIEW
two-factor-enrol-code-hint = The 6 digits your app shows for familytime
# REVIEW
two-factor-enrol-confirm = Turn on two-factor sign-in
# REVIEW
two-factor-enrolled = Two-factor sign-in is on
# REVIEW
two-factor-recovery-title = Your recovery codes
# REVIEW
two-factor-recovery-lead = If you lose your phone, sign in with one of these codes instead. Each one works once. Print them or write them down, and keep them somewhere safe.
# REVIEW
two-factor-recovery-once = These codes are shown only now: familytime keeps no copy it could show again.
# REVIEW
two-factor-title = Two-factor sign-in
# REVIEW
two-factor-on = You sign in with your password and a code from your authenticator app.
# REVIEW
two-factor-off-now = You sign in with your password alone. Two-factor sign-in adds a code from an app on your phone.
# REVIEW
two-factor-manage = Manage two-factor sign-in
# REVIEW
two-factor-set-up = Set up two-factor sign-in
# REVIEW
two-factor-codes-left = { $count ->
    [one] You have 1 recovery code left.
   *[other] You have { $count } recovery codes left.
}
# REVIEW
two-factor-required-no-off = Your organisation requires two-factor sign-in for your role, so it cannot be turned off.
# REVIEW
two-factor-off-heading = Turn off two-factor sign-in
# REVIEW
two-factor-off-hint = Enter a code from your app, or a recovery code, to confirm
# REVIEW
two-factor-off = Turn off two-factor sign-in
# REVIEW
two-factor-turned-off = Two-factor sign-in is off. You now sign in with your password alone.
# REVIEW
two-factor-back = Back to your account

# REVIEW
sign-in-policy-title = Sign-in policy
# REVIEW
sign-in-policy-lead = Case files hold special-category data about children. A second factor stops a stolen or guessed password from being enough to read them.
# REVIEW
sign-in-policy-two-factor = Two-factor sign-in
# REVIEW
sign-in-policy-two-factor-hint = Administrators, coordinators, supervisors and safeguarding leads. Anyone in these roles without it sets it up at their next sign-in and can do nothing else first.
# REVIEW
sign-in-policy-two-factor-yes = Require two-factor sign-in for the roles that see case data
# REVIEW
sign-in-policy-save = Save sign-in policy
# REVIEW
sign-in-policy-saved = Sign-in policy saved.
# REVIEW
sign-in-policy-stale-title = Not saved: someone else changed the policy
# REVIEW
sign-in-policy-stale = The policy was changed since you opened this page. It is shown as it is now; make your change again if it is still needed.

# REVIEW
home-task-sign-in-policy = Sign-in policy
# REVIEW
home-hint-sign-in-policy = Whether staff who see case data must use two-factor sign-in

# REVIEW
invalid-two-factor-empty = Enter the 6-digit code from your authenticator app
# REVIEW
invalid-two-factor-form = Enter the 6 digits from your authenticator app, or one of your recovery codes
# REVIEW
invalid-two-factor-enrol-form = Enter the 6 digits your authenticator app shows for familytime
# REVIEW
invalid-two-factor-wrong = The code is not right, or it has been used already. Enter the code your app shows now
# REVIEW
invalid-two-factor-enrol-wrong = The code is not right. Check the time on your phone is set automatically, and enter the code your app shows now
