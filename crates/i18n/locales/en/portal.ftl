# The signed-in side a parent or a referrer sees (issue 22): the home page, the account page (with
# the language a person reads familytime in), a parent's bookings and payments, the reports released
# to them, a referrer's referrals and the referral form, the other parent's own part of a
# self-referral, the thanks page's "what happens next", the links between pages of a list, and the
# organisation's language settings. English is the source language. Keys ending in -html hold
# markup and take no variable.

## The home page (home.html)

home-title = Home
home-hello = Hello, { $name }
home-intro-organisation_admin = You manage your organisation's centres, rooms and the people who use familytime.
home-intro-coordinator = You run your centres: referrals, families, the week's sessions and reports.
home-intro-supervisor = You supervise contact and write the observation records for your sessions.
home-intro-volunteer = You help at supported sessions: attendance, and raising any safeguarding concern.
home-intro-safeguarding_lead = You decide on safeguarding concerns raised by staff and volunteers.
home-intro-referrer = You refer families and follow your own referrals and the reports released to you.
home-intro-parent = You can see your own bookings, what you owe, and reports released to you.
home-open-concerns = Open safeguarding concerns: { $count }
home-no-open-concerns = No open concerns.
home-open-concerns-caption = Open safeguarding concerns, newest first
home-reports-to-check = Reports waiting for a quality check: { $count }
home-report-case = { $title } (case { $reference })
home-written-by = written by { $name }
home-what-you-can-do = What you can do
home-your-centres = Your centres
home-task-centres = Centres and rooms
home-hint-centres = Add centres, their rooms and spaces
home-task-users = People
home-hint-users = Add staff, volunteers, referrers and parents; disable accounts
home-task-audit = Audit log
home-hint-audit = Who signed in, changed or viewed what
home-task-checklist = Observation checklist
home-hint-checklist = The statements supervisors tick on every observation record
home-task-languages = Languages
home-hint-languages = The language families and referrers read by default, and bilingual letters
home-task-booking-rules = Booking rules
home-hint-booking-rules = Whether contact waits for every adult's pre-visit
home-task-concerns = Safeguarding concerns
home-hint-concerns = Open concerns first, then closed ones
home-task-raise-concern = Raise a safeguarding concern
home-hint-raise-concern = Anything that worries you about a child, at any session
home-task-bookings = Your bookings
home-hint-bookings = Your sessions and pre-visits, what you owe and what you have paid
home-task-reports = Reports for you
home-hint-reports = Reports the centre has released to you, as PDF
home-task-referrals = Your referrals
home-hint-referrals = Where each of your referrals stands, and a new referral
home-task-account = Your account
home-hint-account = Your language, your password and API tokens

## The account page (account.html)

account-title = Your account
account-name = Name
account-email = Email address
account-role = Role
account-language-heading = Language
account-language-legend = Which language do you want to read familytime in?
account-language-hint = Pages are shown in this language whenever you are signed in. You can still switch any page with the language link at the top.
account-language-cy = Cymraeg
account-language-en = English
account-language-default-cy = Your organisation's choice (Welsh)
account-language-default-en = Your organisation's choice (English)
account-language-now-cy = You read familytime in Welsh.
account-language-now-en = You read familytime in English.
account-language-save = Save language
account-language-saved = Your language has been saved.
account-password-heading = Change your password
account-current-password = Current password
account-new-password = New password
account-new-password-hint = At least 12 characters, not a common password
account-password-again = Type the new password again
account-change-password = Change password
account-password-changed = Your password has been changed. You have been signed out everywhere else.
account-new-token = Your new API token
account-copy-token = Copy it now: it will not be shown again.
account-tokens-heading = API tokens
account-tokens-intro = A token lets a program use the familytime API as you. Keep it secret; revoke it when it is no longer needed.
account-no-tokens = You have no API tokens.
account-tokens-caption = Your API tokens
account-token-name = Name
account-token-created = Created
account-token-last-used = Last used
account-token-never = Never
account-action = Action
account-revoke = Revoke
account-revoke-token = token { $name }
account-token-new-name = Name for a new token
account-token-new-name-hint = What it is for, for example Case management export
account-create-token = Create API token

## A parent's bookings and payments (my_account.html, provisional_details.html)

mine-title = Your bookings and payments
mine-not-linked = Your account is not linked to a family yet. The centre links it once your referral is accepted.
mine-case = { $centre }, reference { $reference }
mine-deposit-held = The centre holds your deposit of { $amount }.
mine-statement = Your statement (PDF)
mine-nothing-owed = Nothing owed
mine-owed = { $amount } owed
mine-in-credit = { $amount } in credit
mine-bookings = Your bookings
mine-arrive-leave = Please arrive and leave at the times shown: they are set so that nobody meets on the way in or out.
mine-no-bookings = No bookings yet.
mine-bookings-caption = Your bookings and when to arrive and leave
mine-booking = Booking
mine-arrive = Arrive at
mine-leave = Leave at
mine-status = Status
mine-booking-label = { $kind }, { $date }
mine-moved-to = Moved to { $when }, { $asked }
mine-moved-from = { $status }, moved from { $when }, { $asked }
mine-asked-by-centre = at the request of the centre
mine-asked-by-resident = at the request of the resident parent
mine-asked-by-visiting = at the request of the visiting parent
mine-asked-by-other = at the request of someone else (a court or the referrer)
mine-asked-by-unknown = at the request of someone not recorded
mine-payments = Your payments and charges
mine-nothing-yet = Nothing yet.
mine-payments-caption = Your charges and payments, newest first
mine-when = When
mine-entry = Entry
mine-for = For
mine-amount = Amount
mine-receipt = Receipt (PDF)
mine-invoices = Your invoices
mine-invoice-link = Invoice { $number } (PDF)
mine-invoice-billed = { $amount } billed
mine-invoice-taken-back = { $amount } taken back since
mine-invoice-paid = { $amount } paid
mine-invoice-due = { $amount } due
mine-invoice-due-by = by { $date }
mine-reports-link = Reports released to you
mine-date-time = { $date }, { $time }
provisional-summary = What “provisional” means
provisional-for-parent = A provisional session is held for you (its time, room and staff), but it is not confirmed yet. It is confirmed once it is paid for, or once the organisation funding it (for example Cafcass or the local authority) covers it. If a session stays unpaid, the centre may release its time. Ask the centre if you are not sure how to pay.
provisional-for-staff = A provisional booking holds its time, room and staff, but it is not confirmed. It becomes confirmed when the payment is recorded on the case's money page, or when a funder (for example Cafcass or the local authority) covers it. A booking that costs nothing is confirmed by hand. Where the centre's billing settings say so, a booking still unpaid after the set number of hours is released.

## Words the domain writes, looked up by their stable names

portal-booking-status-provisional = Provisional
portal-booking-status-confirmed = Confirmed
portal-booking-status-completed = Completed
portal-booking-status-cancelled = Cancelled
portal-booking-status-no_show = No-show
portal-booking-status-stopped_early = Stopped early
portal-booking-kind-pre_visit = Pre-visit
portal-booking-kind-review = Review meeting
portal-service-supported = Supported contact
portal-service-supervised = Supervised contact
portal-service-handover = Handover
portal-service-virtual_supported = Virtual contact (supported)
portal-service-virtual_supervised = Virtual contact (supervised)
portal-service-indirect = Indirect (letterbox) contact
portal-service-community = Community contact
portal-service-preparatory = Preparatory sessions
portal-service-hospital = Hospital contact
portal-service-welfare_check = Welfare check
portal-service-life_story = Life story work
portal-entry-charge = Charge
portal-entry-payment = Payment
portal-entry-refund = Refund
portal-entry-waiver = Waiver
portal-entry-credit = Taken back
portal-entry-deposit_held = Deposit paid
portal-entry-deposit_returned = Deposit returned
portal-entry-deposit_forfeited = Deposit forfeited
portal-case-status-received = Received
portal-case-status-incomplete = Incomplete
portal-case-status-awaiting_fee = Awaiting referral fee
portal-case-status-waiting_list = On the waiting list
portal-case-status-assessment = Assessment
portal-case-status-pre_visits = Pre-visits
portal-case-status-accepted = Accepted
portal-case-status-signposted = Signposted elsewhere
portal-case-status-declined = Declined
portal-case-status-active = Active
portal-case-status-under_review = Under review
portal-case-status-closed = Closed
portal-report-kind-session = Session observation report
portal-report-kind-summary = End-of-series summary report
portal-source-cafcass = Cafcass or Cafcass Cymru
portal-source-court = A court
portal-source-solicitor = A solicitor
portal-source-social_worker = A social worker
portal-source-mediator = A mediator
portal-source-other_centre = Another contact centre
portal-source-self_referral = The parent (self-referral)
portal-source-other = Someone else

## Reports released to a parent or a referrer (my_reports.html)

myreports-title = Reports for you
myreports-none = No reports have been released to you yet.
myreports-caption = Reports released to you
myreports-report = Report
myreports-case = Case
myreports-kind = Kind
myreports-released = Released
myreports-download = Download
myreports-download-link = Download { $title }, case { $reference } (PDF)

## A referrer's referrals (referrals_list.html, referral_status.html)

referrals-title = Your referrals
referrals-make = Make a referral
referrals-none = You have not made any referrals yet.
referrals-caption = Your referrals, newest first
referrals-reference = Reference
referrals-status = Status
referrals-received = Received
referral-title = Referral { $reference }
referral-status-is = Status:
referral-history = What has happened
referral-contact = The centre will contact you if they need more information. Reports released to you will appear here.
referral-sent = Referral sent

## The referral form (referral_form.html)

refform-title = Make a referral
refform-intro = Tell us about the family. Everything marked optional can be added later. Details you mark as hidden are never shown to the adults you choose — not on any page, letter, report or invoice they see.
refform-the-referral = The referral
refform-centre = Centre
refform-source = Who is referring
refform-choose = Choose
refform-referrer-name = Referrer's name (optional)
refform-referrer-organisation = Referrer's organisation (optional)
refform-children = Children
refform-child = Child { $number }
refform-child-optional = Child { $number } (optional)
refform-full-name = Full name
refform-dob = Date of birth
refform-needs = Needs (optional)
refform-adults = The adults
refform-adult-resident = Resident parent or carer (the child lives with them)
refform-adult-visiting = Visiting parent or relative
refform-hide-resident = Keep this address, phone and email hidden from the visiting parent
refform-hide-visiting = Keep this address, phone and email hidden from the resident parent
refform-relationship = Relationship to the child (optional)
refform-pr = Do they have parental responsibility?
refform-yes = Yes
refform-no = No
refform-not-known = Not known
refform-address = Address (optional)
refform-phone = Phone (optional)
refform-email = Email (optional)
refform-language = Language, if not English, and whether an interpreter is needed (optional)
refform-access = Accessibility needs (optional)
refform-availability = When they can come (optional)
refform-orders = Court orders
refform-cao = Child arrangements order (optional)
refform-date-made = Date made
refform-court = Court
refform-order-terms = What it orders
refform-order-sessions = Number of sessions ordered
refform-order-reports = The court ordered written reports
refform-order-recipients = Who may receive reports
refform-injunction = Injunction or non-molestation order (optional)
refform-kind = Kind
refform-none = None
refform-terms = Terms
refform-background = Background
refform-lives-with = Who the child lives with
refform-risks = Risks and background (optional)
refform-risks-hint = Domestic abuse, social care involvement, allegations, substance misuse, a long gap in contact…
refform-consent = The family consents to this information being shared with the centre
refform-send = Send referral

## The other parent's own part of a self-referral (own_part.html)

ownpart-title = Give your side
ownpart-heading = { $name }, please give your side
ownpart-lead = Your children have been referred to a child contact centre (reference { $reference }). The other parent will never see what you write here, and we do not show you what they wrote.
ownpart-address = Your address (optional)
ownpart-phone = Your phone number (optional)
ownpart-email = Your email address (optional)
ownpart-keep-hidden = Keep my address, phone and email hidden from the other parent
ownpart-language = Language, if not English, and whether you need an interpreter (optional)
ownpart-access = Anything that would make visiting easier for you (optional)
ownpart-availability = When can you come? (optional)
ownpart-safety = Is there anything we should know to keep you and the children safe? (optional)
ownpart-consent = The centre may use what I have told them to decide how to help
ownpart-send = Send

## What happens next, on the thanks page (thanks.html)

next-call = The centre will call you on the number you gave, to talk it through and to arrange a visit for you on your own.
next-email = The centre will email you, to talk it through and to arrange a visit for you on your own.
next-write = The centre will write to you at the address you gave, to talk it through and to arrange a visit for you on your own.
next-contact-centre = You did not give a phone number, email or address, so the centre cannot contact you. Contact { $centre }, giving your reference, to talk it through and to arrange a visit for you on your own.
next-contact-centre-phone = You did not give a phone number, email or address, so the centre cannot contact you. Contact { $centre } on { $phone }, giving your reference, to talk it through and to arrange a visit for you on your own.
next-contact-the-centre = You did not give a phone number, email or address, so the centre cannot contact you. Contact the centre, giving your reference, to talk it through and to arrange a visit for you on your own.
next-other-given = They will contact the other parent separately, using the details you gave.
next-other-ask = They will ask you how to reach the other parent, and contact them separately.
next-own-part = The centre will contact you to talk it through and to arrange a visit for you on your own.

## The links between the pages of a list (pagination.html)

pager-label-cases = Pages of cases
pager-label-closed-concerns = Pages of closed concerns
pager-label-people = Pages of people
pager-page-of-cases = page of cases
pager-page-of-closed-concerns = page of closed concerns
pager-page-of-people = page of people
pager-of-cases = of cases
pager-of-closed-concerns = of closed concerns
pager-of-people = of people
pager-previous = Previous
pager-first = First page
pager-next = Next page

## The organisation's languages (settings_languages.html)

languages-title = Languages
languages-lead = The language families and referrers read familytime in when they have not chosen one, and whether letters are written in Welsh and English together.
languages-default = Default language
languages-default-hint = Anyone who has not chosen a language of their own reads pages and letters in this one.
languages-bilingual = Bilingual letters
languages-bilingual-hint = Letters and documents to families in Welsh and English together, Welsh first, as the Welsh Language Standards describe.
languages-bilingual-yes = Write letters in Welsh and English
languages-save = Save languages
languages-saved = The organisation's languages have been saved.

## An adult's language on the party form (party_edit.html)

party-reads-in = Language for letters and messages
party-reads-in-hint = The language this adult reads what the centre sends them in. Separate from the language they speak, above, which is for an interpreter.
party-reads-in-default = The organisation's default

## The messages of validation errors on the forms a parent or a referrer fills in. Each says exactly
## what the domain or the application writes (a test checks it), which is how the page finds it.

invalid-access-long = Accessibility needs must be 4000 characters or fewer
invalid-add-child = Add at least one child
invalid-email-format = Enter an email address in the correct format, like name@example.com
invalid-dob-future = Child's date of birth must be today or in the past
invalid-choose-service = Choose a service from the list
invalid-choose-orders = Choose court orders from the list
invalid-choose-source = Choose who made the referral
invalid-consent = Confirm that we may use what you tell us to decide how to help
invalid-contact-long = Contact detail must be 500 characters or fewer
invalid-password-empty = Enter a password
invalid-adult-name = Enter each adult's name
invalid-each-dob = Enter each child's date of birth as a real date, as YYYY-MM-DD, like 2019-03-27
invalid-each-child-name = Enter each child's name
invalid-child-dob = Enter the child's date of birth as a real date, as YYYY-MM-DD, like 2019-03-27
invalid-child-name = Enter the child's full name
invalid-other-name = Enter the other parent's or relative's name, so we can ask them separately
invalid-your-name = Enter your full name
invalid-language-long = Language must be 100 characters or fewer
invalid-resident = Name the resident parent or carer the child lives with
invalid-password-guessable = Password is too easy to guess: it is a common password, or close to one or to your name. Try three or four unrelated words
invalid-password-short = Password must be 12 characters or more
invalid-password-long = Password must be 256 characters or fewer
invalid-referrer-name-long = Referrer's name must be 200 characters or fewer
invalid-live-with-you = Say whether the children live with you
invalid-your-pr = Say whether you have parental responsibility, or that you do not know
invalid-their-address-long = Their address must be 500 characters or fewer
invalid-their-name-long = Their name must be 200 characters or fewer
invalid-order-long = What the order says must be 3000 characters or fewer
invalid-visiting-easier-long = What would make visiting easier must be 4000 characters or fewer
invalid-when-long = When you can come must be 4000 characters or fewer
invalid-lives-with-long = Who the child lives with must be 500 characters or fewer
invalid-their-relationship-long = Who they are to the children must be 200 characters or fewer
invalid-your-relationship-long = Who you are to the children must be 200 characters or fewer
invalid-your-address-long = Your address must be 500 characters or fewer
invalid-your-name-long = Your full name must be 200 characters or fewer
invalid-current-password = Your current password is not right
invalid-passwords-differ = The new passwords do not match
invalid-sign-in-email = Enter your email address
invalid-sign-in-password = Enter your password
