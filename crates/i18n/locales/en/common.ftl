# What every page shares: the layout (base.html), the menu, the roles, the error page and the parts
# of forms (error summaries). English is the source language: a new message is added here first,
# then to every other language's catalogue (a test fails until it is).
# A key ending in -html holds markup (links) and is written into the page unescaped: such a message
# never takes a variable.

## The page layout

brand = familytime
skip-link = Skip to main content
main-menu = Main menu
sign-out = Sign out
signed-in-as = Signed in as { $name } ({ $role }), { $organisation }
footer-menu = Information for families
footer-about = familytime keeps children's contact with their families safe. Every view of a case file is recorded.

## The menu

nav-home = Home
nav-cases = Cases
nav-calendar = Calendar
nav-your-referrals = Your referrals
nav-bookings-payments = Bookings and payments
nav-reports-for-you = Reports for you
nav-money = Money
nav-centres = Centres
nav-people = People
nav-audit-log = Audit log
nav-break-glass = Reasons to see hidden details
nav-your-account = Your account

## Roles

role-organisation_admin = Organisation administrator
role-coordinator = Coordinator
role-supervisor = Supervisor
role-volunteer = Volunteer
role-safeguarding_lead = Safeguarding lead
role-referrer = Referrer
role-parent = Parent

## Forms

form-problem = There is a problem
form-error = Error:

## The error page

error-heading-not-found = Page not found
error-heading-forbidden = You cannot see this page
error-heading-sign-in = Sign in to continue
error-heading-too-many = Too many attempts
error-heading-server = Sorry, there is a problem with the service
error-heading-other = There is a problem
error-sign-in = Sign in to continue.
error-forbidden = You do not have permission to do this.
error-bad-credentials = The email address or password is not right. Check them and try again.
error-not-found = Page not found. Check the address, or go back to your home page.
error-stale = This record was changed by someone else since you opened it. Your change was not saved: reload it, check the other change and make yours again.
error-too-large = The request is too large.
error-unavailable = The service is temporarily unavailable. Try again in a minute.
error-internal = Something went wrong on our side and nothing was changed. Try again; if it keeps happening, tell your administrator the request id shown with this message.
error-way-on-html = <a href="/home">Go to your home page</a> or <a href="/">the start page</a>.
