# Two-factor sign-in (issue 18 item 4, decision 0052): the sign-in's second step, enrolment,
# recovery codes, one's own settings and the organisation's sign-in policy.

two-factor-code-title = Enter your security code
two-factor-code-lead = Open the authenticator app on your phone and enter the 6-digit code it shows for familytime.
two-factor-code-label = Security code
two-factor-code-hint = 6 digits, or one of your recovery codes if you do not have your phone
two-factor-continue = Continue
two-factor-code-lost = If you have lost your phone and your recovery codes, ask your organisation's administrator to reset your two-factor sign-in.
two-factor-expired = Your sign-in timed out before it was finished. Enter your email address and password again
two-factor-enrol-title = Set up two-factor sign-in
two-factor-enrol-required = Your organisation requires two-factor sign-in for your role. Set it up to continue.
two-factor-enrol-step-app = Install an authenticator app on your phone, if you do not have one.
two-factor-enrol-step-scan = In the app, add an account and scan this QR code, or type in the key below it.
two-factor-enrol-step-code = Enter the 6-digit code the app then shows.
two-factor-enrol-qr-label = QR code to scan with your authenticator app
two-factor-enrol-manual = If you cannot scan the code, type in this key
two-factor-enrol-code-hint = The 6 digits your app shows for familytime
two-factor-enrol-confirm = Turn on two-factor sign-in
two-factor-enrolled = Two-factor sign-in is on
two-factor-recovery-title = Your recovery codes
two-factor-recovery-lead = If you lose your phone, sign in with one of these codes instead. Each one works once. Print them or write them down, and keep them somewhere safe.
two-factor-recovery-once = These codes are shown only now: familytime keeps no copy it could show again.
two-factor-title = Two-factor sign-in
two-factor-on = You sign in with your password and a code from your authenticator app.
two-factor-off-now = You sign in with your password alone. Two-factor sign-in adds a code from an app on your phone.
two-factor-manage = Manage two-factor sign-in
two-factor-set-up = Set up two-factor sign-in
two-factor-codes-left = { $count ->
    [one] You have 1 recovery code left.
   *[other] You have { $count } recovery codes left.
}
two-factor-required-no-off = Your organisation requires two-factor sign-in for your role, so it cannot be turned off.
two-factor-off-heading = Turn off two-factor sign-in
two-factor-off-hint = Enter a code from your app, or a recovery code, to confirm
two-factor-off = Turn off two-factor sign-in
two-factor-turned-off = Two-factor sign-in is off. You now sign in with your password alone.
two-factor-back = Back to your account

sign-in-policy-title = Sign-in policy
sign-in-policy-lead = Case files hold special-category data about children. A second factor stops a stolen or guessed password from being enough to read them.
sign-in-policy-two-factor = Two-factor sign-in
sign-in-policy-two-factor-hint = Administrators, coordinators, supervisors and safeguarding leads. Anyone in these roles without it sets it up at their next sign-in and can do nothing else first.
sign-in-policy-two-factor-yes = Require two-factor sign-in for the roles that see case data
sign-in-policy-save = Save sign-in policy
sign-in-policy-saved = Sign-in policy saved.
sign-in-policy-stale-title = Not saved: someone else changed the policy
sign-in-policy-stale = The policy was changed since you opened this page. It is shown as it is now; make your change again if it is still needed.

home-task-sign-in-policy = Sign-in policy
home-hint-sign-in-policy = Whether staff who see case data must use two-factor sign-in

invalid-two-factor-empty = Enter the 6-digit code from your authenticator app
invalid-two-factor-form = Enter the 6 digits from your authenticator app, or one of your recovery codes
invalid-two-factor-enrol-form = Enter the 6 digits your authenticator app shows for familytime
invalid-two-factor-wrong = The code is not right, or it has been used already. Enter the code your app shows now
invalid-two-factor-enrol-wrong = The code is not right. Check the time on your phone is set automatically, and enter the code your app shows now
