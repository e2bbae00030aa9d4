# Yr ochr wedi mewngofnodi: the signed-in side a parent or a referrer sees, in Welsh. Keys match
# en/portal.ftl one for one (a test fails when they do not). Keys ending in -html hold markup.
#
# FOR A WELSH SPEAKER TO REVIEW before a centre uses these. Everything here was written with care
# but has not yet been read by a Welsh-speaking contact centre worker. In particular:
# - "Rhiant preswyl" (resident parent) and "rhiant sy'n ymweld" (visiting parent), used as in
#   public.ftl; and "gofalwr" (carer).
# - The ledger's words: "Tâl" (charge), "Taliad" (payment), "Ad-daliad" (refund), "Hepgoriad"
#   (waiver), "Wedi'i gymryd yn ôl" (taken back), "blaendal" (deposit), "fforffedu" (forfeit).
# - The case statuses: "Ar y rhestr aros", "Asesiad", "Cyn-ymweliadau", "Wedi'i gyfeirio
#   rywle arall" (signposted), "O dan adolygiad".
# - "Tocyn API" for an API token, and "dirymu" for revoking one.
# - "Cyfrifoldeb rhiant" (parental responsibility), "gorchymyn trefniadau plant".
# - mine-moved-from / mine-moved-to: the sentences built around a moved session.
# - The pagination's hidden words ("tudalen o achosion", "o bryderon caeedig", "o bobl").
# - home-open-concerns and home-reports-to-check take a number after a colon, so no plural forms.
# - The validation messages (invalid-…): the "must be N characters or fewer" sentences, built
#   around what was typed ("Rhaid i'r hyn … fod yn … nod neu lai"), read awkwardly; and "BBBB-MM-DD"
#   for the date's pattern.

## Y dudalen gartref (home.html)

home-title = Hafan
home-hello = Helo, { $name }
home-intro-organisation_admin = Rydych yn rheoli canolfannau, ystafelloedd eich sefydliad a'r bobl sy'n defnyddio familytime.
home-intro-coordinator = Rydych yn rhedeg eich canolfannau: atgyfeiriadau, teuluoedd, sesiynau'r wythnos ac adroddiadau.
home-intro-supervisor = Rydych yn goruchwylio cyswllt ac yn ysgrifennu'r cofnodion arsylwi ar gyfer eich sesiynau.
home-intro-volunteer = Rydych yn helpu mewn sesiynau â chymorth: presenoldeb, a chodi unrhyw bryder diogelu.
home-intro-safeguarding_lead = Rydych yn penderfynu ar bryderon diogelu a godir gan staff a gwirfoddolwyr.
home-intro-referrer = Rydych yn atgyfeirio teuluoedd ac yn dilyn eich atgyfeiriadau eich hun a'r adroddiadau a ryddheir i chi.
home-intro-parent = Gallwch weld eich trefniadau eich hun, yr hyn sy'n ddyledus gennych, ac adroddiadau a ryddhawyd i chi.
home-open-concerns = Pryderon diogelu agored: { $count }
home-no-open-concerns = Dim pryderon agored.
home-open-concerns-caption = Pryderon diogelu agored, y mwyaf newydd yn gyntaf
home-reports-to-check = Adroddiadau yn aros am wiriad ansawdd: { $count }
home-report-case = { $title } (achos { $reference })
home-written-by = ysgrifennwyd gan { $name }
home-what-you-can-do = Beth allwch chi ei wneud
home-your-centres = Eich canolfannau
home-task-centres = Canolfannau ac ystafelloedd
home-hint-centres = Ychwanegu canolfannau, eu hystafelloedd a'u mannau
home-task-users = Pobl
home-hint-users = Ychwanegu staff, gwirfoddolwyr, atgyfeirwyr a rhieni; analluogi cyfrifon
home-task-audit = Log archwilio
home-hint-audit = Pwy fewngofnododd, a newidiodd neu a edrychodd ar beth
home-task-checklist = Rhestr wirio arsylwi
home-hint-checklist = Y datganiadau y mae goruchwylwyr yn eu ticio ar bob cofnod arsylwi
home-task-languages = Ieithoedd
home-hint-languages = Yr iaith y mae teuluoedd ac atgyfeirwyr yn ei darllen yn ddiofyn, a llythyrau dwyieithog
# REVIEW: the booking rules' task, a first Welsh text.
home-task-booking-rules = Rheolau archebu
home-hint-booking-rules = A yw cyswllt yn aros am gyn-ymweliad pob oedolyn
home-task-concerns = Pryderon diogelu
home-hint-concerns = Pryderon agored yn gyntaf, yna rhai sydd wedi cau
home-task-raise-concern = Codi pryder diogelu
home-hint-raise-concern = Unrhyw beth sy'n peri pryder i chi am blentyn, mewn unrhyw sesiwn
home-task-bookings = Eich trefniadau
home-hint-bookings = Eich sesiynau a'ch cyn-ymweliadau, yr hyn sy'n ddyledus gennych a'r hyn rydych wedi'i dalu
home-task-reports = Adroddiadau i chi
home-hint-reports = Adroddiadau y mae'r ganolfan wedi'u rhyddhau i chi, fel PDF
home-task-referrals = Eich atgyfeiriadau
home-hint-referrals = Ble mae pob un o'ch atgyfeiriadau arni, ac atgyfeiriad newydd
home-task-account = Eich cyfrif
home-hint-account = Eich iaith, eich cyfrinair a thocynnau API

## Y dudalen gyfrif (account.html)

account-title = Eich cyfrif
account-name = Enw
account-email = Cyfeiriad e-bost
account-role = Rôl
account-language-heading = Iaith
account-language-legend = Ym mha iaith ydych chi am ddarllen familytime?
account-language-hint = Dangosir tudalennau yn yr iaith hon pryd bynnag y byddwch wedi mewngofnodi. Gallwch newid iaith unrhyw dudalen o hyd gyda'r ddolen iaith ar y brig.
account-language-cy = Cymraeg
account-language-en = English
account-language-default-cy = Dewis eich sefydliad (Cymraeg)
account-language-default-en = Dewis eich sefydliad (Saesneg)
account-language-now-cy = Rydych yn darllen familytime yn Gymraeg.
account-language-now-en = Rydych yn darllen familytime yn Saesneg.
account-language-save = Cadw'r iaith
account-language-saved = Mae eich iaith wedi'i chadw.
account-password-heading = Newid eich cyfrinair
account-current-password = Cyfrinair presennol
account-new-password = Cyfrinair newydd
account-new-password-hint = O leiaf 12 nod, nid cyfrinair cyffredin
account-password-again = Teipiwch y cyfrinair newydd eto
account-change-password = Newid y cyfrinair
account-password-changed = Mae eich cyfrinair wedi'i newid. Rydych wedi cael eich allgofnodi ym mhob man arall.
account-new-token = Eich tocyn API newydd
account-copy-token = Copïwch ef nawr: ni fydd yn cael ei ddangos eto.
account-tokens-heading = Tocynnau API
account-tokens-intro = Mae tocyn yn gadael i raglen ddefnyddio API familytime fel chi. Cadwch ef yn gyfrinachol; dirymwch ef pan nad oes ei angen mwyach.
account-no-tokens = Nid oes gennych unrhyw docynnau API.
account-tokens-caption = Eich tocynnau API
account-token-name = Enw
account-token-created = Crëwyd
account-token-last-used = Defnyddiwyd ddiwethaf
account-token-never = Erioed
account-action = Gweithred
account-revoke = Dirymu
account-revoke-token = tocyn { $name }
account-token-new-name = Enw ar gyfer tocyn newydd
account-token-new-name-hint = At beth y mae, er enghraifft Allforio rheoli achosion
account-create-token = Creu tocyn API

## Trefniadau a thaliadau rhiant (my_account.html, provisional_details.html)

mine-title = Eich trefniadau a'ch taliadau
mine-not-linked = Nid yw eich cyfrif wedi'i gysylltu â theulu eto. Bydd y ganolfan yn ei gysylltu unwaith y bydd eich atgyfeiriad wedi'i dderbyn.
mine-case = { $centre }, cyfeirnod { $reference }
mine-deposit-held = Mae'r ganolfan yn dal eich blaendal o { $amount }.
mine-statement = Eich datganiad (PDF)
mine-nothing-owed = Dim yn ddyledus
mine-owed = { $amount } yn ddyledus
mine-in-credit = { $amount } mewn credyd
mine-bookings = Eich sesiynau
mine-arrive-leave = Cyrhaeddwch a gadewch ar yr amseroedd a ddangosir: maent wedi'u gosod fel nad oes neb yn cyfarfod ar y ffordd i mewn nac allan.
mine-no-bookings = Dim sesiynau eto.
mine-bookings-caption = Eich sesiynau a phryd i gyrraedd a gadael
mine-booking = Sesiwn
mine-arrive = Cyrraedd am
mine-leave = Gadael am
mine-status = Statws
mine-booking-label = { $kind }, { $date }
# REVIEW
mine-moved-to = Symudwyd i { $when }, { $asked }
# REVIEW
mine-moved-from = { $status }, symudwyd o { $when }, { $asked }
mine-asked-by-centre = ar gais y ganolfan
mine-asked-by-resident = ar gais y rhiant preswyl
mine-asked-by-visiting = ar gais y rhiant sy'n ymweld
mine-asked-by-other = ar gais rhywun arall (llys neu'r atgyfeiriwr)
mine-asked-by-unknown = ar gais rhywun na chofnodwyd
mine-payments = Eich taliadau a'ch costau
mine-nothing-yet = Dim byd eto.
mine-payments-caption = Eich costau a'ch taliadau, y mwyaf newydd yn gyntaf
mine-when = Pryd
mine-entry = Cofnod
mine-for = Am
mine-amount = Swm
mine-receipt = Derbynneb (PDF)
mine-invoices = Eich anfonebau
mine-invoice-link = Anfoneb { $number } (PDF)
mine-invoice-billed = { $amount } wedi'i filio
mine-invoice-taken-back = { $amount } wedi'i gymryd yn ôl ers hynny
mine-invoice-paid = { $amount } wedi'i dalu
mine-invoice-due = { $amount } yn ddyledus
mine-invoice-due-by = erbyn { $date }
mine-reports-link = Adroddiadau a ryddhawyd i chi
mine-date-time = { $date }, { $time }
# REVIEW
provisional-summary = Beth mae “dros dro” yn ei olygu
provisional-for-parent = Mae sesiwn dros dro wedi'i chadw i chi (ei hamser, ei hystafell a'i staff), ond nid yw wedi'i chadarnhau eto. Caiff ei chadarnhau unwaith y telir amdani, neu unwaith y bydd y sefydliad sy'n ei hariannu (er enghraifft Cafcass neu'r awdurdod lleol) yn talu amdani. Os bydd sesiwn yn parhau heb ei thalu, gall y ganolfan ryddhau ei hamser. Gofynnwch i'r ganolfan os nad ydych yn siŵr sut i dalu.
provisional-for-staff = Mae trefniad dros dro yn cadw ei amser, ei ystafell a'i staff, ond nid yw wedi'i gadarnhau. Caiff ei gadarnhau pan gofnodir y taliad ar dudalen arian yr achos, neu pan fydd cyllidwr (er enghraifft Cafcass neu'r awdurdod lleol) yn talu amdano. Caiff trefniad nad yw'n costio dim ei gadarnhau â llaw. Lle mae gosodiadau bilio'r ganolfan yn dweud hynny, caiff trefniad sy'n dal heb ei dalu ar ôl y nifer penodol o oriau ei ryddhau.

## Geiriau y mae'r parth yn eu hysgrifennu, yn ôl eu henwau sefydlog

portal-booking-status-provisional = Dros dro
portal-booking-status-confirmed = Wedi'i gadarnhau
portal-booking-status-completed = Wedi'i gwblhau
portal-booking-status-cancelled = Wedi'i ganslo
portal-booking-status-no_show = Heb ddod
portal-booking-status-stopped_early = Daeth i ben yn gynnar
portal-booking-kind-pre_visit = Cyn-ymweliad
portal-booking-kind-review = Cyfarfod adolygu
portal-service-supported = Cyswllt â chymorth
portal-service-supervised = Cyswllt dan oruchwyliaeth
portal-service-handover = Trosglwyddo
portal-service-virtual_supported = Cyswllt rhithwir (â chymorth)
portal-service-virtual_supervised = Cyswllt rhithwir (dan oruchwyliaeth)
portal-service-indirect = Cyswllt anuniongyrchol (blwch llythyrau)
portal-service-community = Cyswllt yn y gymuned
portal-service-preparatory = Sesiynau paratoi
portal-service-hospital = Cyswllt mewn ysbyty
portal-service-welfare_check = Gwiriad lles
# REVIEW
portal-service-life_story = Gwaith stori bywyd
# REVIEW
portal-entry-charge = Tâl
portal-entry-payment = Taliad
portal-entry-refund = Ad-daliad
# REVIEW
portal-entry-waiver = Hepgoriad
portal-entry-credit = Wedi'i gymryd yn ôl
portal-entry-deposit_held = Blaendal wedi'i dalu
portal-entry-deposit_returned = Blaendal wedi'i ddychwelyd
# REVIEW
portal-entry-deposit_forfeited = Blaendal wedi'i fforffedu
portal-case-status-received = Wedi'i dderbyn
portal-case-status-incomplete = Anghyflawn
portal-case-status-awaiting_fee = Yn aros am y ffi atgyfeirio
portal-case-status-waiting_list = Ar y rhestr aros
portal-case-status-assessment = Asesiad
portal-case-status-pre_visits = Cyn-ymweliadau
portal-case-status-accepted = Wedi'i dderbyn i'r gwasanaeth
# REVIEW
portal-case-status-signposted = Wedi'i gyfeirio rywle arall
portal-case-status-declined = Wedi'i wrthod
portal-case-status-active = Gweithredol
portal-case-status-under_review = O dan adolygiad
portal-case-status-closed = Wedi cau
portal-report-kind-session = Adroddiad arsylwi sesiwn
portal-report-kind-summary = Adroddiad cryno diwedd cyfres
portal-source-cafcass = Cafcass neu Cafcass Cymru
portal-source-court = Llys
portal-source-solicitor = Cyfreithiwr
portal-source-social_worker = Gweithiwr cymdeithasol
portal-source-mediator = Cyfryngwr
portal-source-other_centre = Canolfan gyswllt arall
portal-source-self_referral = Y rhiant (hunanatgyfeirio)
portal-source-other = Rhywun arall

## Adroddiadau a ryddhawyd i riant neu atgyfeiriwr (my_reports.html)

myreports-title = Adroddiadau i chi
myreports-none = Nid oes unrhyw adroddiadau wedi'u rhyddhau i chi eto.
myreports-caption = Adroddiadau a ryddhawyd i chi
myreports-report = Adroddiad
myreports-case = Achos
myreports-kind = Math
myreports-released = Rhyddhawyd
myreports-download = Lawrlwytho
myreports-download-link = Lawrlwytho { $title }, achos { $reference } (PDF)

## Atgyfeiriadau atgyfeiriwr (referrals_list.html, referral_status.html)

referrals-title = Eich atgyfeiriadau
referrals-make = Gwneud atgyfeiriad
referrals-none = Nid ydych wedi gwneud unrhyw atgyfeiriadau eto.
referrals-caption = Eich atgyfeiriadau, y mwyaf newydd yn gyntaf
referrals-reference = Cyfeirnod
referrals-status = Statws
referrals-received = Derbyniwyd
referral-title = Atgyfeiriad { $reference }
referral-status-is = Statws:
referral-history = Beth sydd wedi digwydd
referral-contact = Bydd y ganolfan yn cysylltu â chi os oes angen rhagor o wybodaeth arnynt. Bydd adroddiadau a ryddheir i chi yn ymddangos yma.
referral-sent = Atgyfeiriad wedi'i anfon

## Y ffurflen atgyfeirio (referral_form.html)

refform-title = Gwneud atgyfeiriad
refform-intro = Dywedwch wrthym am y teulu. Gellir ychwanegu popeth sydd wedi'i nodi'n ddewisol yn nes ymlaen. Ni ddangosir manylion rydych yn eu nodi'n gudd i'r oedolion a ddewiswch — nid ar unrhyw dudalen, llythyr, adroddiad nac anfoneb a welant.
refform-the-referral = Yr atgyfeiriad
refform-centre = Canolfan
refform-source = Pwy sy'n atgyfeirio
refform-choose = Dewiswch
refform-referrer-name = Enw'r atgyfeiriwr (dewisol)
refform-referrer-organisation = Sefydliad yr atgyfeiriwr (dewisol)
refform-children = Plant
refform-child = Plentyn { $number }
refform-child-optional = Plentyn { $number } (dewisol)
refform-full-name = Enw llawn
refform-dob = Dyddiad geni
refform-needs = Anghenion (dewisol)
refform-adults = Yr oedolion
refform-adult-resident = Rhiant preswyl neu ofalwr (mae'r plentyn yn byw gyda nhw)
refform-adult-visiting = Rhiant neu berthynas sy'n ymweld
refform-hide-resident = Cadw'r cyfeiriad, y ffôn a'r e-bost hyn yn gudd rhag y rhiant sy'n ymweld
refform-hide-visiting = Cadw'r cyfeiriad, y ffôn a'r e-bost hyn yn gudd rhag y rhiant preswyl
refform-relationship = Perthynas â'r plentyn (dewisol)
refform-pr = Oes ganddynt gyfrifoldeb rhiant?
refform-yes = Oes
refform-no = Nac oes
refform-not-known = Ddim yn gwybod
refform-address = Cyfeiriad (dewisol)
refform-phone = Ffôn (dewisol)
refform-email = E-bost (dewisol)
refform-language = Iaith, os nad Saesneg, ac a oes angen cyfieithydd (dewisol)
refform-access = Anghenion hygyrchedd (dewisol)
refform-availability = Pryd y gallant ddod (dewisol)
refform-orders = Gorchmynion llys
refform-cao = Gorchymyn trefniadau plant (dewisol)
refform-date-made = Dyddiad ei wneud
refform-court = Llys
refform-order-terms = Beth y mae'n ei orchymyn
refform-order-sessions = Nifer y sesiynau a orchmynnwyd
refform-order-reports = Gorchmynnodd y llys adroddiadau ysgrifenedig
refform-order-recipients = Pwy all dderbyn adroddiadau
refform-injunction = Gwaharddeb neu orchymyn rhag molestu (dewisol)
refform-kind = Math
refform-none = Dim
refform-terms = Telerau
refform-background = Cefndir
refform-lives-with = Gyda phwy y mae'r plentyn yn byw
refform-risks = Risgiau a chefndir (dewisol)
refform-risks-hint = Cam-drin domestig, gwaith gofal cymdeithasol, honiadau, camddefnyddio sylweddau, bwlch hir mewn cyswllt…
refform-consent = Mae'r teulu'n cydsynio i'r wybodaeth hon gael ei rhannu â'r ganolfan
refform-send = Anfon yr atgyfeiriad

## Rhan y rhiant arall mewn hunanatgyfeiriad (own_part.html)

ownpart-title = Rhowch eich ochr chi
ownpart-heading = { $name }, rhowch eich ochr chi
ownpart-lead = Mae eich plant wedi'u hatgyfeirio i ganolfan cyswllt plant (cyfeirnod { $reference }). Ni fydd y rhiant arall byth yn gweld yr hyn rydych yn ei ysgrifennu yma, ac nid ydym yn dangos i chi yr hyn a ysgrifennodd nhw.
ownpart-address = Eich cyfeiriad (dewisol)
ownpart-phone = Eich rhif ffôn (dewisol)
ownpart-email = Eich cyfeiriad e-bost (dewisol)
ownpart-keep-hidden = Cadw fy nghyfeiriad, fy ffôn a'm e-bost yn gudd rhag y rhiant arall
ownpart-language = Iaith, os nad Saesneg, ac a oes angen cyfieithydd arnoch (dewisol)
ownpart-access = Unrhyw beth a fyddai'n gwneud ymweld yn haws i chi (dewisol)
ownpart-availability = Pryd allwch chi ddod? (dewisol)
ownpart-safety = Oes unrhyw beth y dylem ei wybod i'ch cadw chi a'r plant yn ddiogel? (dewisol)
ownpart-consent = Gall y ganolfan ddefnyddio'r hyn rwyf wedi'i ddweud wrthynt i benderfynu sut i helpu
ownpart-send = Anfon

## Beth sy'n digwydd nesaf, ar y dudalen diolch (thanks.html)

next-call = Bydd y ganolfan yn eich ffonio ar y rhif a roesoch, i siarad am y peth ac i drefnu ymweliad i chi ar eich pen eich hun.
next-email = Bydd y ganolfan yn anfon e-bost atoch, i siarad am y peth ac i drefnu ymweliad i chi ar eich pen eich hun.
next-write = Bydd y ganolfan yn ysgrifennu atoch yn y cyfeiriad a roesoch, i siarad am y peth ac i drefnu ymweliad i chi ar eich pen eich hun.
next-contact-centre = Ni roesoch rif ffôn, e-bost na chyfeiriad, felly ni all y ganolfan gysylltu â chi. Cysylltwch â { $centre }, gan roi eich cyfeirnod, i siarad am y peth ac i drefnu ymweliad i chi ar eich pen eich hun.
next-contact-centre-phone = Ni roesoch rif ffôn, e-bost na chyfeiriad, felly ni all y ganolfan gysylltu â chi. Cysylltwch â { $centre } ar { $phone }, gan roi eich cyfeirnod, i siarad am y peth ac i drefnu ymweliad i chi ar eich pen eich hun.
next-contact-the-centre = Ni roesoch rif ffôn, e-bost na chyfeiriad, felly ni all y ganolfan gysylltu â chi. Cysylltwch â'r ganolfan, gan roi eich cyfeirnod, i siarad am y peth ac i drefnu ymweliad i chi ar eich pen eich hun.
next-other-given = Byddant yn cysylltu â'r rhiant arall ar wahân, gan ddefnyddio'r manylion a roesoch.
next-other-ask = Byddant yn gofyn i chi sut i gysylltu â'r rhiant arall, ac yn cysylltu â nhw ar wahân.
next-own-part = Bydd y ganolfan yn cysylltu â chi i siarad am y peth ac i drefnu ymweliad i chi ar eich pen eich hun.

## Y dolenni rhwng tudalennau rhestr (pagination.html)

pager-label-cases = Tudalennau achosion
pager-label-closed-concerns = Tudalennau pryderon sydd wedi cau
pager-label-people = Tudalennau pobl
# REVIEW
pager-page-of-cases = tudalen o achosion
# REVIEW
pager-page-of-closed-concerns = tudalen o bryderon sydd wedi cau
# REVIEW
pager-page-of-people = tudalen o bobl
pager-of-cases = o achosion
pager-of-closed-concerns = o bryderon sydd wedi cau
pager-of-people = o bobl
pager-previous = Blaenorol
pager-first = Tudalen gyntaf
pager-next = Tudalen nesaf

## Ieithoedd y sefydliad (settings_languages.html)

languages-title = Ieithoedd
languages-lead = Yr iaith y mae teuluoedd ac atgyfeirwyr yn darllen familytime ynddi pan nad ydynt wedi dewis un, ac a yw llythyrau'n cael eu hysgrifennu yn Gymraeg ac yn Saesneg gyda'i gilydd.
languages-default = Iaith ddiofyn
languages-default-hint = Mae unrhyw un nad yw wedi dewis iaith ei hun yn darllen tudalennau a llythyrau yn yr iaith hon.
languages-bilingual = Llythyrau dwyieithog
# REVIEW
languages-bilingual-hint = Llythyrau a dogfennau i deuluoedd yn Gymraeg ac yn Saesneg gyda'i gilydd, y Gymraeg yn gyntaf, fel y mae Safonau'r Gymraeg yn ei ddisgrifio.
languages-bilingual-yes = Ysgrifennu llythyrau yn Gymraeg ac yn Saesneg
languages-save = Cadw'r ieithoedd
languages-saved = Mae ieithoedd y sefydliad wedi'u cadw.

## Iaith oedolyn ar ffurflen y parti (party_edit.html)

party-reads-in = Iaith llythyrau a negeseuon
party-reads-in-hint = Yr iaith y mae'r oedolyn hwn yn darllen yr hyn y mae'r ganolfan yn ei anfon ato ynddi. Ar wahân i'r iaith y mae'n ei siarad, uchod, sydd ar gyfer cyfieithydd.
party-reads-in-default = Iaith ddiofyn y sefydliad

## Negeseuon gwallau dilysu ar y ffurflenni y mae rhiant neu atgyfeiriwr yn eu llenwi.

invalid-access-long = Rhaid i anghenion hygyrchedd fod yn 4000 nod neu lai
invalid-add-child = Ychwanegwch o leiaf un plentyn
invalid-email-format = Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@example.com
invalid-dob-future = Rhaid i ddyddiad geni'r plentyn fod heddiw neu yn y gorffennol
invalid-choose-service = Dewiswch wasanaeth o'r rhestr
invalid-choose-orders = Dewiswch orchmynion llys o'r rhestr
invalid-choose-source = Dewiswch pwy wnaeth yr atgyfeiriad
invalid-consent = Cadarnhewch y cawn ddefnyddio'r hyn a ddywedwch wrthym i benderfynu sut i helpu
invalid-contact-long = Rhaid i fanylyn cyswllt fod yn 500 nod neu lai
invalid-password-empty = Rhowch gyfrinair
invalid-adult-name = Rhowch enw pob oedolyn
invalid-each-dob = Rhowch ddyddiad geni pob plentyn fel dyddiad go iawn, ar ffurf BBBB-MM-DD, fel 2019-03-27
invalid-each-child-name = Rhowch enw pob plentyn
invalid-child-dob = Rhowch ddyddiad geni'r plentyn fel dyddiad go iawn, ar ffurf BBBB-MM-DD, fel 2019-03-27
invalid-child-name = Rhowch enw llawn y plentyn
invalid-other-name = Rhowch enw'r rhiant neu'r perthynas arall, er mwyn i ni allu gofyn iddynt ar wahân
invalid-your-name = Rhowch eich enw llawn
invalid-language-long = Rhaid i'r iaith fod yn 100 nod neu lai
invalid-resident = Enwch y rhiant preswyl neu'r gofalwr y mae'r plentyn yn byw gyda nhw
# REVIEW
invalid-password-guessable = Mae'r cyfrinair yn rhy hawdd i'w ddyfalu: mae'n gyfrinair cyffredin, neu'n agos at un neu at eich enw. Rhowch gynnig ar dri neu bedwar gair heb gysylltiad rhyngddynt
invalid-password-short = Rhaid i'r cyfrinair fod yn 12 nod neu fwy
invalid-password-long = Rhaid i'r cyfrinair fod yn 256 nod neu lai
invalid-referrer-name-long = Rhaid i enw'r atgyfeiriwr fod yn 200 nod neu lai
invalid-live-with-you = Dywedwch a yw'r plant yn byw gyda chi
invalid-your-pr = Dywedwch a oes gennych gyfrifoldeb rhiant, neu nad ydych yn gwybod
invalid-their-address-long = Rhaid i'w cyfeiriad fod yn 500 nod neu lai
invalid-their-name-long = Rhaid i'w henw fod yn 200 nod neu lai
invalid-order-long = Rhaid i'r hyn y mae'r gorchymyn yn ei ddweud fod yn 3000 nod neu lai
invalid-visiting-easier-long = Rhaid i'r hyn a fyddai'n gwneud ymweld yn haws fod yn 4000 nod neu lai
invalid-when-long = Rhaid i pryd y gallwch ddod fod yn 4000 nod neu lai
invalid-lives-with-long = Rhaid i gyda phwy y mae'r plentyn yn byw fod yn 500 nod neu lai
invalid-their-relationship-long = Rhaid i bwy ydynt i'r plant fod yn 200 nod neu lai
invalid-your-relationship-long = Rhaid i bwy ydych chi i'r plant fod yn 200 nod neu lai
invalid-your-address-long = Rhaid i'ch cyfeiriad fod yn 500 nod neu lai
invalid-your-name-long = Rhaid i'ch enw llawn fod yn 200 nod neu lai
invalid-current-password = Nid yw eich cyfrinair presennol yn gywir
invalid-passwords-differ = Nid yw'r cyfrineiriau newydd yr un fath
invalid-sign-in-email = Rhowch eich cyfeiriad e-bost
invalid-sign-in-password = Rhowch eich cyfrinair
