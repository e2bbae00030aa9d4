# The public site for families (no sign-in): the start page, the services, "which service do I
# need?", how to be referred, the prices, the jargon buster, sign-in, self-referral and its thanks.
# Plain English for a parent on a phone. Keys ending in -html hold links and take no variables.

## The footer's links, also used across the pages

link-services = Our services
link-which-service = Which service do I need?
link-refer = How to be referred
link-prices = Prices
link-jargon = Jargon buster

## The start page (index.html)

index-title = Child contact, kept safe
index-lead = familytime helps child contact centres and services arrange safe time for children with the
    parents and relatives they do not live with: referrals, scheduling so that parents never meet, session records,
    reports and fees.
index-sign-in-intro = If you work for a centre, or you have an account as a referrer or parent, sign in.
index-sign-in = Sign in
index-families = For families
index-families-intro = You do not need an account to read about contact, check which service you may need, or find out how to be referred.
index-which-service-hint = Answer a few questions: supported or supervised contact
index-services-hint = What each service is and who it suits
index-refer-hint = Through a professional, or referring yourself
index-prices-hint = What it costs, paying and cancelling
index-jargon-hint = The words and letters you may hear, explained

## Our services (services.html)

services-lead = Child contact services help children keep in touch with a parent, grandparent or other relative they do not live with, safely and without the adults having to meet.
services-intro-html = If there is a risk of harm to the child, supervised contact is used. If you need a neutral place for contact, supported contact may be enough. Not sure? <a href="/which-service">Answer a few questions to find out which service you may need</a>.
services-contents = Contents
services-meetings = Meetings before and after contact
services-moving-on = Moving on
services-who-it-suits = Who it suits
services-not-everywhere = Not every centre offers this. Ask the centre.
services-meetings-intro = These are not contact, but they are part of every service.
services-pre-visit = Pre-visit
services-pre-visit-text = before contact starts, each adult meets the staff on their own, never together. You see the rooms, ask questions and agree the ground rules. The parent the child lives with brings the child to look around.
services-review = Review meeting
services-review-text = after about three months, and at the end of a series of sessions, the centre talks with each of you about how it has gone and what should happen next.
services-moving-on-text = As trust grows, families usually move a step at a time: from supervised contact to supported contact, then to handover, and then to arranging contact themselves.

service-supported-name = Supported contact
service-supported-what-1 = Several families use the centre's rooms at the same time. Staff or volunteers are there to help and to keep everyone comfortable, but they do not watch you closely or write notes about the visit.
service-supported-what-2 = The parents do not have to meet: arrival and leaving times are planned so that you do not see each other.
service-supported-suits = Families where the risk to the child is low, but trust has broken down or the parents find it hard to talk. It is also the next step for families moving on from supervised contact.
service-supervised-name = Supervised contact
service-supervised-what-1 = One family at a time. A trained supervisor stays where they can see and hear the child the whole time, and writes down what happens.
service-supervised-what-2 = Reports can be written for the court, Cafcass, a social worker or whoever referred you. The parent the child lives with does not usually stay at the centre during the visit.
service-supervised-suits = Families where there may be a risk to the child, or where things are more complicated: for example domestic abuse, worries about drugs or alcohol, or a court order that says contact must be supervised.
service-handover-name = Handover
service-handover-what-1 = The centre is the place where the child is dropped off and picked up. The time together happens somewhere else. The parents do not meet.
service-handover-suits = Families who no longer need help during contact, only with passing the child from one parent to the other. It is often a step on from supported or supervised contact.
service-virtual-name = Virtual contact
service-virtual-what-1 = Contact by video call. It can be supported or supervised.
service-virtual-what-2 = The centre sets up the call, so nobody sees anyone else's phone number, account or where they are.
service-virtual-suits = Families who live far apart, or where meeting in person is not possible yet.
service-indirect-name = Indirect contact (letterbox)
service-indirect-what-1 = Letters, cards, photos, videos or presents are sent to the centre. Staff check them and then pass them on to the child. Replies come back the same way.
service-indirect-what-2 = Nobody's address is shared.
service-indirect-suits = Families where meeting is not safe or not right for the child at the moment, or where one parent must not know where the child lives.
service-community-name = Community contact (sometimes called escorted contact)
service-community-what-1 = Supervised contact away from the centre: for example at a park, a soft play centre, a cinema, a café or a family home, with a supervisor there.
service-community-suits = Families where supervised contact is needed but a more everyday place would be better for the child. The place has to be agreed first.
service-preparatory-name = Preparatory sessions
service-preparatory-what-1 = Sessions with a child or with an adult before contact starts, or before it starts again. They help people know what contact will be like and how they might feel.
service-preparatory-what-2 = They end with recommendations about what should happen next.
service-preparatory-suits = Anyone who is very anxious about contact, and children who have not seen the parent for a long time or do not know them.
service-life-story-name = Life story work
service-life-story-what-1 = Helps a child understand what has happened in their life and where they come from. It often ends with something the child can keep, such as a book or a memory box.
service-life-story-suits = Often children living in care, but it can help other children too.
service-hospital-name = Hospital contact
service-hospital-what-1 = Supervised contact in a hospital, for example with a newborn baby on a maternity ward.
service-hospital-suits = Families where contact must be supervised and the child is in hospital.
service-welfare-check-name = Welfare checks
service-welfare-check-what-1 = Staff visit a home to check that a child is well, after a request from social services and only with the family's agreement. Staff cannot go in without permission.
service-welfare-check-suits = Families where social services have asked for a check.
service-outreach-name = Community outreach
service-outreach-what-1 = One-to-one support for a child or a family, at home or in the community, often alongside other services.
service-outreach-suits = Children in care, and families who need support that fits around them.

## Which service do I need? (which_service.html, which_service_result.html)

checklist-summary-body = Answer every question. If you are not sure, choose “I do not know”.
checklist-lead = Answer { $count } questions to see whether supported or supervised contact is more likely to suit your family.
checklist-guide-only = This is a guide only. The centre decides with you, after talking to each adult on their own.
checklist-not-saved = Your answers are not saved. They are shown in this page's web address, so if other people use this phone or computer you may want to clear your browsing history afterwards.
checklist-question-of = Question { $number } of { $count }
checklist-submit = See which service may suit you
checklist-words-html = Not sure about the words used here? See the <a href="/jargon-buster">jargon buster</a>, or read about <a href="/services">all our services</a>.

answer-yes = Yes
answer-no = No
answer-not-sure = I do not know
answer-none = Not answered

checklist-court-order-text = Does a court order say that contact must be supervised?
checklist-court-order-hint = This would be written in the child arrangements order or another order from the family court.
checklist-court-order-yes = A court order says contact must be supervised, so the centre must follow it.
checklist-court-order-unsure = You did not know whether a court order says contact must be supervised.
checklist-court-order-missing = Select whether a court order says contact must be supervised
checklist-abuse-text = Has there been domestic abuse between the adults?
checklist-abuse-hint = This includes an injunction, a non-molestation order, or police or criminal court involvement.
checklist-abuse-yes = There has been domestic abuse between the adults.
checklist-abuse-unsure = You did not know whether there has been domestic abuse.
checklist-abuse-missing = Select whether there has been domestic abuse between the adults
checklist-harm-text = Is there a worry that the child could be harmed, or is a social worker involved with the family now?
checklist-harm-hint = For example, the child has a child protection plan.
checklist-harm-yes = There is a worry about harm to the child, or social care is involved now.
checklist-harm-unsure = You did not know whether there is a risk of harm or social care involvement.
checklist-harm-missing = Select whether there is a worry about harm or a social worker involved
checklist-allegations-text = Are the police or social services still looking into something that has been said?
checklist-allegations-hint = An allegation that has not been decided yet.
checklist-allegations-yes = Allegations are still being looked into.
checklist-allegations-unsure = You did not know whether allegations are still being looked into.
checklist-allegations-missing = Select whether allegations are still being looked into
checklist-abduction-text = Is there a worry that the child could be taken away and not brought back?
checklist-abduction-hint = For example, taken to another country.
checklist-abduction-yes = There is a worry that the child could be taken. Supported centres cannot take families where this is a risk.
checklist-abduction-unsure = You did not know whether the child could be taken away.
checklist-abduction-missing = Select whether there is a worry that the child could be taken away
checklist-drugs-alcohol-text = Is there a worry about drug or alcohol use by the adult who will see the child?
checklist-drugs-alcohol-yes = There is a worry about drug or alcohol use.
checklist-drugs-alcohol-unsure = You did not know whether there is a worry about drugs or alcohol.
checklist-drugs-alcohol-missing = Select whether there is a worry about drug or alcohol use
checklist-mental-health-text = Is there a worry that an adult's mental health affects how they look after the child?
checklist-mental-health-yes = There is a worry that mental health affects how the child is looked after.
checklist-mental-health-unsure = You did not know whether mental health affects looking after the child.
checklist-mental-health-missing = Select whether there is a worry about mental health
checklist-care-text = Is there a worry about whether the adult who will see the child can look after them safely?
checklist-care-hint = For example, feeding, changing or keeping a young child safe.
checklist-care-yes = There is a worry about whether the child can be looked after safely.
checklist-care-unsure = You did not know whether the child can be looked after safely.
checklist-care-missing = Select whether there is a worry about looking after the child safely
checklist-long-gap-text = Has it been a long time since the child saw this adult, or does the child not know them?
checklist-long-gap-yes = It has been a long time since the child saw this adult, or the child does not know them.
checklist-long-gap-unsure = You did not know whether it has been a long time, or the child does not know the adult.
checklist-long-gap-missing = Select whether it has been a long time since the child saw this adult
checklist-conflict-text = Is there a lot of anger or conflict between the adults?
checklist-conflict-yes = There is a lot of anger or conflict between the adults.
checklist-conflict-unsure = You did not know whether there is a lot of anger or conflict.
checklist-conflict-missing = Select whether there is a lot of anger or conflict between the adults

checklist-heading-supported = Supported contact may suit your family
checklist-heading-supervised = Supervised contact is likely to be needed
checklist-heading-talk-to-us = Talk to us before you choose
checklist-reason-all-no = You answered no to every question, so none of the worries that need supervision applies.
checklist-reason-low-risk = Supported contact is for families where the risk is low: the parents do not have to meet, and staff or volunteers are in the room.
checklist-reason-talk = These answers decide between supported and supervised contact, so it is best to talk them through with the centre before you choose.
checklist-reason-several = You answered yes to { $count } questions. When there is more than one worry, contact is supervised, at least for the first sessions.
checklist-reason-one = A worry like this usually means supervised contact, at least to begin with. The centre makes the decision after talking to each adult.
checklist-reason-unsure-count = { $count ->
    [one] You did not know the answer to 1 question. The centre will ask about it too.
   *[other] You did not know the answer to { $count } questions. The centre will ask about them too.
    }

result-change = Change your answers
result-supported-html = From your answers, <a href="/services#supported">supported contact</a> may be right for your family. Several families share the centre's rooms, with staff or volunteers there to help, and the parents do not have to meet.
result-supervised-html = From your answers, <a href="/services#supervised">supervised contact</a> is likely to be needed, at least to begin with. A trained supervisor stays with your child the whole time, one family at a time.
result-talk-to-us = Some of your answers decide which service is safe, and you were not sure about them. Contact the centre and ask to talk about which service is right. You do not need to have all the answers.
result-refer-yourself = Refer yourself
result-refer-yourself-supported = Refer yourself for supported contact
result-refer-yourself-supervised = Refer yourself for supervised contact
result-or-professional-html = Or ask a professional working with your family to refer you: <a href="/refer">how to be referred</a>.
result-why = Why
result-next = What happens next
result-next-text = This is a guide, not a decision. The centre decides which service to offer after it has read the referral and talked to each adult on their own. Families often move on, for example from supervised to supported contact, as things go well.
result-all-services = All our services
result-your-answers = Your answers
result-change-or-restart-html = or <a href="/which-service">start again</a>.

## How to be referred (refer.html)

refer-lead = A professional can refer your family to the centre, or you can refer yourself.
refer-danger = If you or a child are in danger now, call 999.
refer-professional = If a professional refers you
refer-professional-intro = Most families are referred by someone working with them, such as:
refer-cafcass = a Cafcass officer (Cafcass Cymru in Wales), when there is a court case
refer-court = the family court
refer-solicitor = a solicitor
refer-social-worker = a social worker
refer-mediator = a mediator, or another contact centre
refer-what-they-send = They send the centre a referral about your family: who the child lives with, who may come to contact, any court orders, and anything that affects safety. If you have one of these professionals, ask them to refer you.
refer-no-charge-html = If contact was ordered by the court through Cafcass, there is no charge to either parent. <a href="/prices">See the prices</a>.
refer-professionals-online-html = Professionals with an account can <a href="/login">sign in</a> to send a referral online.
refer-yourself = Referring yourself
refer-yourself-text = You can refer yourself if no professional is involved, or if you and the other parent have agreed to use the centre. You only tell us about yourself and your children: the centre asks the other parent for their part separately.
refer-yourself-online = Refer yourself online
refer-not-online = If you would rather not use the online form, contact the centre and say that you would like to make a self-referral. The centre will ask you about your family and explain what happens next.
refer-contacts = How to contact the centres
refer-call = call
refer-use-the-form-html = use the <a href="/self-referral">online form</a>
refer-paying = If you are paying yourself, there is a charge for pre-visits and sessions. Ask the centre whether help with the cost is available.
refer-after = What happens after a referral
refer-after-1 = The centre checks that it has everything it needs. There may be a waiting list.
refer-after-2 = The centre contacts the other parent separately. You do not have to contact them yourself.
refer-after-3 = Each adult has their own pre-visit, at a different time. You will never be asked to meet the other parent.
refer-after-4 = At your pre-visit you see the rooms, meet the staff and agree the ground rules. The parent the child lives with brings the child to look around.
refer-after-5 = Sessions start. Arrival and leaving times are planned so that the parents do not meet.
refer-other-parent = What the other parent will see
refer-other-parent-text = What you tell the centre in your referral is not shown to the other parent. If your address or phone number must be kept from them, tell the centre and it will be kept hidden.
refer-confidential = Everything is kept confidential unless a child or an adult is at risk of harm. Then the centre must tell the people who can keep them safe.
refer-before = Before you contact the centre

## Prices (prices.html)

prices-lead = If the court ordered contact through Cafcass, there is no charge to either parent.
prices-intro = A court order through Cafcass usually pays for six sessions. If you were not referred by the court, you pay at the centre's prices below. Ask the centre whether help with the cost is available.
prices-none = The centres have not published their prices here yet: ask the centre.
prices-at = Prices at { $centre }
prices-what = What
prices-price = Price
prices-cancel-free = Cancelling late costs nothing here, but please give as much notice as you can.
prices-if-cancelled = If a session is cancelled:
prices-tier = with less than { $hours } hours' notice, if { $who ->
        [resident] the parent the child lives with
       *[other] the other parent
    } cancels, they lose { $loses ->
        [deposit] their deposit
        [session] the payment for that session
        [part] { $percent }% of the payment for that session
       *[nothing] nothing
    }
prices-paying = Paying
prices-paying-text = An appointment is only confirmed once it has been paid for (or, if the court ordered it, funded). If the centre cancels, you lose nothing, and money is never kept without a reason you can see on your account.

price-referral_fee = Referral fee
price-pre_visit = Pre-visit (per person)
price-supervised_session = Supervised session (two hours)
price-supported_session = Supported session
price-handover_session = Handover
price-deposit = Deposit (resident parent)
price-written_report = Written report
price-incident_report = Incident report
price-mileage = Mileage (per mile)
price-supported_donation = Suggested donation (supported session)

## Jargon buster (jargon_buster.html)

jargon-lead = The words and letters you may hear from the centre, the court and other services, and what they mean.

term-c8-term = C8
term-c8-meaning = The court form used to keep an address or phone number secret from the other people in a court case.
term-cafcass-term = Cafcass
term-cafcass-meaning = The Children and Family Court Advisory and Support Service: it advises the family court about children in England. In Wales it is Cafcass Cymru.
term-cao-term = CAO (child arrangements order)
term-cao-meaning = The court order that says who a child lives with and who they spend time with.
term-cci-term = CCI (Child Contact Intervention)
term-cci-meaning = A short series of supervised contact sessions paid for by Cafcass.
term-dbs-term = DBS check
term-dbs-meaning = A criminal records check. Staff and volunteers at a contact centre have one.
term-dsl-term = DSL (Designated Safeguarding Lead)
term-dsl-meaning = The person at the centre who decides what to do when someone is worried about a child's or an adult's safety.
term-handover-term = Handover
term-handover-meaning = When the centre is only the place where the child is dropped off and picked up, so the parents do not have to meet. The time together happens somewhere else.
term-injunction-term = Injunction
term-injunction-meaning = A court order that tells someone to do, or not to do, something: for example not to contact another adult.
term-lado-term = LADO (local authority designated officer)
term-lado-meaning = The person at the council who deals with worries about adults who work with children, including staff and volunteers.
term-mash-term = MASH (multi-agency safeguarding hub)
term-mash-meaning = Where the council, police, health services and others share information to keep children safe.
term-naccc-term = NACCC
term-naccc-meaning = The National Association of Child Contact Centres. It sets the standards that centres are accredited against.
term-non-molestation-order-term = Non-molestation order
term-non-molestation-order-meaning = A court order that stops someone from threatening, harassing or being violent towards another person.
term-nrp-term = Non-resident parent (NRP)
term-nrp-meaning = The parent the child does not live with, who comes to the centre to see the child. It can also be another relative, such as a grandparent.
term-pr-term = PR (parental responsibility)
term-pr-meaning = The legal rights and responsibilities a parent has for a child, such as agreeing to medical treatment or choosing a school.
term-pre-visit-term = Pre-visit
term-pre-visit-meaning = A meeting at the centre before contact starts. Each adult has their own, never together. You see the rooms, meet the staff and agree the ground rules. The resident parent brings the child.
term-rp-term = Resident parent (RP)
term-rp-meaning = The parent or carer the child lives with, who brings the child to the centre.
term-supervised-term = Supervised contact
term-supervised-meaning = Contact for one family at a time, with a supervisor who can see and hear the child all the time and writes down what happens.
term-supported-term = Supported contact
term-supported-meaning = Contact in a room shared by several families, with staff or volunteers there to help. They do not watch closely or write notes about the visit.

## Sign in (login.html)

login-title = Sign in
login-email = Email address
login-password = Password
login-forgotten = Forgotten your password?

## Refer yourself (self_referral.html) and its thanks (thanks.html)

self-title = Refer yourself
self-heading = Refer yourself to a child contact centre
self-lead = Tell us about you and your children. We will ask the other parent separately: they will never see what you write here.
self-which-centre = Which centre?
self-choose-centre = Choose a centre
self-about-you = About you
self-live-with-you = Do the children live with you?
self-live-yes = Yes, they live with me
self-live-no = No, I want to see them
self-your-name = Your full name
self-your-relationship = You are the children's
self-your-relationship-hint = For example mother, father, grandparent
self-your-pr = Do you have parental responsibility for the children?
self-your-pr-hint = A mother has it, and so does a father married to the mother or named on the birth certificate. Say if you do not know.
self-yes = Yes
self-no = No
self-do-not-know = I do not know
self-your-address = Your address (optional)
self-your-phone = Your phone number (optional)
self-your-phone-hint = If you give one, the centre will call you to arrange a visit. If not, they will email or write to you
self-your-email = Your email address (optional)
self-keep-hidden = Keep my address, phone and email hidden from the other parent
self-your-language = Language, if not English, and whether you need an interpreter (optional)
self-your-access = Anything that would make visiting easier for you (optional)
self-your-access-hint = For example step-free access
self-your-availability = When can you come? (optional)
self-your-availability-hint = Days and times
self-children = The children
self-child = Child { $number }
self-child-optional = Child { $number } (optional)
self-child-name = Full name
self-child-dob = Date of birth
self-other-parent = The other parent
self-other-name = Their full name
self-other-name-hint = The centre contacts them separately and asks for their side
self-other-relationship = They are the children's
self-other-reach = How can the centre reach them? Give what you know; they are not told that you gave it.
self-other-phone = Their phone number (optional)
self-other-email = Their email address (optional)
self-other-address = Their address (optional)
self-orders = Court orders
self-orders-question = Is there a court order about the children, or about you and the other parent? (optional)
self-orders-hint = Tick any there are. The centre will ask to see a copy.
self-order-details = What does the order say, and when was it made? (optional)
self-service = The service
self-service-question = Which service do you think you need? (optional)
self-service-hint-html = The centre decides after talking to each of you. <a href="/which-service">Which service do I need?</a>
self-service-supported = Supported contact
self-service-supervised = Supervised contact
self-service-unsure = I am not sure
self-safety = Safety
self-safety-question = Is there anything we should know to keep you and the children safe? (optional)
self-safety-hint = For example a court order, a non-molestation order, or worries about contact. The other parent never sees this.
self-consent = The centre may use what I have told them to decide how to help
self-send = Send

order-child_arrangements = Child arrangements order
order-non_molestation = Non-molestation order
order-injunction = Injunction
order-prohibited_steps = Prohibited steps order
order-specific_issue = Specific issue order
order-other = Other order

thanks-title = Sent
thanks-heading = Thank you: we have it
thanks-reference = Your reference is
thanks-next = What happens next
thanks-not-shown = Nothing you wrote is shown to the other parent.
