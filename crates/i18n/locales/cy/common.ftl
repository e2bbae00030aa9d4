# Yr hyn y mae pob tudalen yn ei rannu: y cynllun (base.html), y ddewislen, y rolau, y dudalen wall
# a rhannau ffurflenni. What every page shares, in Welsh. Keys and comments are in English so that
# whoever keeps the code can find their way; the words are Welsh.
#
# FOR A WELSH SPEAKER TO REVIEW before a centre uses these (marked "REVIEW" below):
# - nav-break-glass: "Rhesymau dros weld manylion cudd" for the staff menu item.
# - footer-about: the sentence about every view of a case file being recorded.
# - error-stale and error-internal: long sentences, kept close to the English.
# Forms used as in Welsh public services: Mewngofnodi (sign in), Allgofnodi (sign out),
# Neidio i'r prif gynnwys (skip to main content), Mae problem wedi codi (there is a problem).

## The page layout

brand = familytime
skip-link = Neidio i'r prif gynnwys
main-menu = Prif ddewislen
sign-out = Allgofnodi
signed-in-as = Wedi mewngofnodi fel { $name } ({ $role }), { $organisation }
footer-menu = Gwybodaeth i deuluoedd
# REVIEW
footer-about = Mae familytime yn cadw cyswllt plant â'u teuluoedd yn ddiogel. Caiff pob tro yr edrychir ar ffeil achos ei gofnodi.

## The menu

nav-home = Hafan
nav-cases = Achosion
nav-calendar = Calendr
nav-your-referrals = Eich atgyfeiriadau
nav-bookings-payments = Archebion a thaliadau
nav-reports-for-you = Adroddiadau i chi
nav-money = Arian
nav-centres = Canolfannau
nav-people = Pobl
nav-audit-log = Log archwilio
# REVIEW
nav-break-glass = Rhesymau dros weld manylion cudd
nav-your-account = Eich cyfrif

## Roles

role-organisation_admin = Gweinyddwr y sefydliad
role-coordinator = Cydlynydd
role-supervisor = Goruchwyliwr
role-volunteer = Gwirfoddolwr
role-safeguarding_lead = Arweinydd diogelu
role-referrer = Atgyfeiriwr
role-parent = Rhiant

## Forms

form-problem = Mae problem wedi codi
form-error = Gwall:

## The error page

error-heading-not-found = Heb ddod o hyd i'r dudalen
error-heading-forbidden = Ni allwch weld y dudalen hon
error-heading-sign-in = Mewngofnodwch i barhau
error-heading-too-many = Gormod o ymdrechion
error-heading-server = Mae'n ddrwg gennym, mae problem gyda'r gwasanaeth
error-heading-other = Mae problem wedi codi
error-sign-in = Mewngofnodwch i barhau.
error-forbidden = Nid oes gennych ganiatâd i wneud hyn.
error-bad-credentials = Nid yw'r cyfeiriad e-bost neu'r cyfrinair yn gywir. Gwiriwch nhw a rhowch gynnig arall arni.
error-not-found = Heb ddod o hyd i'r dudalen. Gwiriwch y cyfeiriad, neu ewch yn ôl i'ch hafan.
# REVIEW
error-stale = Mae rhywun arall wedi newid y cofnod hwn ers i chi ei agor. Ni chafodd eich newid ei gadw: ail-lwythwch y cofnod, gwiriwch y newid arall a gwnewch eich newid chi eto.
error-too-large = Mae'r cais yn rhy fawr.
error-unavailable = Nid yw'r gwasanaeth ar gael am y tro. Rhowch gynnig arall arni ymhen munud.
# REVIEW
error-internal = Aeth rhywbeth o'i le ar ein hochr ni ac ni newidiwyd dim. Rhowch gynnig arall arni; os yw'n dal i ddigwydd, rhowch wybod i'ch gweinyddwr beth yw rhif adnabod y cais a ddangosir gyda'r neges hon.
error-way-on-html = <a href="/home">Ewch i'ch hafan</a> neu <a href="/">y dudalen gychwyn</a>.
