# Y wefan gyhoeddus i deuluoedd: the public site for families, in Welsh. Keys match en/public.ftl
# one for one (a test fails when they do not). Keys ending in -html hold links.
#
# FOR A WELSH SPEAKER TO REVIEW before a centre uses these. Everything here was written with care
# but has not yet been read by a Welsh-speaking contact centre worker. In particular:
# - The service names: "Cyswllt â chymorth" (supported contact), "Cyswllt dan oruchwyliaeth"
#   (supervised contact), "Trosglwyddo" (handover), "Cyswllt anuniongyrchol (blwch llythyrau)".
#   Check them against the terms Cafcass Cymru and NACCC use in Welsh.
# - "Esbonio jargon" for "Jargon buster", and the jargon buster's terms: English abbreviations
#   (CAO, DSL, LADO, MASH, NRP, PR, RP) are kept, with the Welsh words beside them. The terms are
#   listed in the English alphabetical order; Welsh order (ch, dd, ll as letters) is not applied.
# - The legal terms: "gorchymyn trefniadau plant", "gorchymyn rhag molestu", "gwaharddeb",
#   "gorchymyn camau gwaharddedig", "gorchymyn mater penodol", "cyfrifoldeb rhiant".
# - prices-tier: the sentence built around the cancelling parent and what they lose.
# - checklist-reason-unsure-count: the plural forms (Welsh has six; zero/one/two/few/many/other).

## The footer's links, also used across the pages

link-services = Ein gwasanaethau
link-which-service = Pa wasanaeth sydd ei angen arnaf?
link-refer = Sut i gael eich atgyfeirio
link-prices = Prisiau
# REVIEW
link-jargon = Esbonio jargon

## The start page (index.html)

index-title = Cyswllt plant, yn ddiogel
index-lead = Mae familytime yn helpu canolfannau a gwasanaethau cyswllt plant i drefnu amser diogel i blant gyda'r
    rhieni a'r perthnasau nad ydynt yn byw gyda nhw: atgyfeiriadau, amserlennu fel nad yw'r rhieni byth yn cyfarfod,
    cofnodion sesiynau, adroddiadau a ffioedd.
index-sign-in-intro = Os ydych yn gweithio i ganolfan, neu os oes gennych gyfrif fel atgyfeiriwr neu riant, mewngofnodwch.
index-sign-in = Mewngofnodi
index-families = I deuluoedd
index-families-intro = Nid oes angen cyfrif arnoch i ddarllen am gyswllt, i weld pa wasanaeth a allai fod ei angen arnoch, nac i gael gwybod sut i gael eich atgyfeirio.
index-which-service-hint = Atebwch ychydig o gwestiynau: cyswllt â chymorth neu gyswllt dan oruchwyliaeth
index-services-hint = Beth yw pob gwasanaeth ac i bwy y mae'n addas
index-refer-hint = Drwy weithiwr proffesiynol, neu drwy eich atgyfeirio eich hun
index-prices-hint = Beth yw'r gost, talu a chanslo
index-jargon-hint = Esbonio'r geiriau a'r llythrennau y gallech eu clywed

## Our services (services.html)

services-lead = Mae gwasanaethau cyswllt plant yn helpu plant i gadw mewn cysylltiad â rhiant, nain neu daid, tad-cu neu fam-gu, neu berthynas arall nad ydynt yn byw gyda nhw, yn ddiogel a heb i'r oedolion orfod cyfarfod.
services-intro-html = Os oes risg o niwed i'r plentyn, defnyddir cyswllt dan oruchwyliaeth. Os oes angen lle niwtral arnoch ar gyfer cyswllt, gall cyswllt â chymorth fod yn ddigon. Ddim yn siŵr? <a href="/which-service">Atebwch ychydig o gwestiynau i weld pa wasanaeth a allai fod ei angen arnoch</a>.
services-contents = Cynnwys
services-meetings = Cyfarfodydd cyn ac ar ôl cyswllt
services-moving-on = Symud ymlaen
services-who-it-suits = I bwy y mae'n addas
services-not-everywhere = Nid yw pob canolfan yn cynnig hyn. Gofynnwch i'r ganolfan.
services-meetings-intro = Nid cyswllt yw'r rhain, ond maent yn rhan o bob gwasanaeth.
services-pre-visit = Ymweliad cyn dechrau
services-pre-visit-text = cyn i'r cyswllt ddechrau, mae pob oedolyn yn cyfarfod â'r staff ar ei ben ei hun, byth gyda'i gilydd. Rydych yn gweld yr ystafelloedd, yn gofyn cwestiynau ac yn cytuno ar y rheolau sylfaenol. Mae'r rhiant y mae'r plentyn yn byw gydag ef neu hi yn dod â'r plentyn i gael golwg o gwmpas.
services-review = Cyfarfod adolygu
services-review-text = ar ôl tua thri mis, ac ar ddiwedd cyfres o sesiynau, mae'r ganolfan yn siarad â phob un ohonoch am sut mae pethau wedi mynd a beth ddylai ddigwydd nesaf.
services-moving-on-text = Wrth i ymddiriedaeth dyfu, mae teuluoedd fel arfer yn symud gam wrth gam: o gyswllt dan oruchwyliaeth i gyswllt â chymorth, yna i drosglwyddo, ac yna i drefnu cyswllt eu hunain.

# REVIEW: the service names throughout this section.
service-supported-name = Cyswllt â chymorth
service-supported-what-1 = Mae sawl teulu'n defnyddio ystafelloedd y ganolfan ar yr un pryd. Mae staff neu wirfoddolwyr yno i helpu ac i wneud i bawb deimlo'n gyfforddus, ond nid ydynt yn eich gwylio'n agos nac yn ysgrifennu nodiadau am yr ymweliad.
service-supported-what-2 = Nid oes rhaid i'r rhieni gyfarfod: caiff yr amseroedd cyrraedd a gadael eu cynllunio fel nad ydych yn gweld eich gilydd.
service-supported-suits = Teuluoedd lle mae'r risg i'r plentyn yn isel, ond lle mae ymddiriedaeth wedi chwalu neu lle mae'r rhieni'n ei chael yn anodd siarad. Dyma hefyd y cam nesaf i deuluoedd sy'n symud ymlaen o gyswllt dan oruchwyliaeth.
service-supervised-name = Cyswllt dan oruchwyliaeth
service-supervised-what-1 = Un teulu ar y tro. Mae goruchwyliwr hyfforddedig yn aros lle gall weld a chlywed y plentyn drwy'r amser, ac yn ysgrifennu beth sy'n digwydd.
service-supervised-what-2 = Gellir ysgrifennu adroddiadau ar gyfer y llys, Cafcass Cymru, gweithiwr cymdeithasol neu bwy bynnag a'ch atgyfeiriodd. Nid yw'r rhiant y mae'r plentyn yn byw gydag ef neu hi fel arfer yn aros yn y ganolfan yn ystod yr ymweliad.
service-supervised-suits = Teuluoedd lle gallai fod risg i'r plentyn, neu lle mae pethau'n fwy cymhleth: er enghraifft cam-drin domestig, pryderon am gyffuriau neu alcohol, neu orchymyn llys sy'n dweud bod rhaid i'r cyswllt fod dan oruchwyliaeth.
service-handover-name = Trosglwyddo
service-handover-what-1 = Y ganolfan yw'r lle y caiff y plentyn ei ollwng a'i gasglu. Mae'r amser gyda'i gilydd yn digwydd yn rhywle arall. Nid yw'r rhieni'n cyfarfod.
service-handover-suits = Teuluoedd nad oes angen help arnynt mwyach yn ystod cyswllt, dim ond wrth drosglwyddo'r plentyn o un rhiant i'r llall. Yn aml mae'n gam ymlaen o gyswllt â chymorth neu gyswllt dan oruchwyliaeth.
service-virtual-name = Cyswllt rhithwir
service-virtual-what-1 = Cyswllt drwy alwad fideo. Gall fod â chymorth neu dan oruchwyliaeth.
service-virtual-what-2 = Y ganolfan sy'n trefnu'r alwad, felly nid oes neb yn gweld rhif ffôn, cyfrif na lleoliad neb arall.
service-virtual-suits = Teuluoedd sy'n byw ymhell oddi wrth ei gilydd, neu lle nad yw'n bosibl cyfarfod wyneb yn wyneb eto.
service-indirect-name = Cyswllt anuniongyrchol (blwch llythyrau)
service-indirect-what-1 = Caiff llythyrau, cardiau, lluniau, fideos neu anrhegion eu hanfon i'r ganolfan. Mae'r staff yn eu gwirio ac yna'n eu rhoi i'r plentyn. Daw atebion yn ôl yr un ffordd.
service-indirect-what-2 = Nid yw cyfeiriad neb yn cael ei rannu.
service-indirect-suits = Teuluoedd lle nad yw cyfarfod yn ddiogel neu'n iawn i'r plentyn ar hyn o bryd, neu lle na ddylai un rhiant wybod ble mae'r plentyn yn byw.
service-community-name = Cyswllt yn y gymuned (a elwir weithiau'n gyswllt hebrwng)
service-community-what-1 = Cyswllt dan oruchwyliaeth i ffwrdd o'r ganolfan: er enghraifft mewn parc, canolfan chwarae meddal, sinema, caffi neu gartref teuluol, gyda goruchwyliwr yno.
service-community-suits = Teuluoedd lle mae angen cyswllt dan oruchwyliaeth ond lle byddai lle mwy bob dydd yn well i'r plentyn. Rhaid cytuno ar y lle yn gyntaf.
service-preparatory-name = Sesiynau paratoi
service-preparatory-what-1 = Sesiynau gyda phlentyn neu gydag oedolyn cyn i'r cyswllt ddechrau, neu cyn iddo ailddechrau. Maent yn helpu pobl i wybod sut beth fydd cyswllt a sut y gallent deimlo.
service-preparatory-what-2 = Maent yn gorffen gydag argymhellion am beth ddylai ddigwydd nesaf.
service-preparatory-suits = Unrhyw un sy'n bryderus iawn am gyswllt, a phlant nad ydynt wedi gweld y rhiant ers amser hir neu nad ydynt yn ei adnabod.
service-life-story-name = Gwaith stori bywyd
service-life-story-what-1 = Mae'n helpu plentyn i ddeall beth sydd wedi digwydd yn ei fywyd ac o ble mae'n dod. Yn aml mae'n gorffen gyda rhywbeth y gall y plentyn ei gadw, fel llyfr neu focs atgofion.
service-life-story-suits = Plant sy'n byw mewn gofal yn aml, ond gall helpu plant eraill hefyd.
service-hospital-name = Cyswllt mewn ysbyty
service-hospital-what-1 = Cyswllt dan oruchwyliaeth mewn ysbyty, er enghraifft gyda babi newydd-anedig ar ward famolaeth.
service-hospital-suits = Teuluoedd lle mae'n rhaid i gyswllt fod dan oruchwyliaeth a'r plentyn yn yr ysbyty.
service-welfare-check-name = Gwiriadau lles
service-welfare-check-what-1 = Mae staff yn ymweld â chartref i wirio bod plentyn yn iawn, ar gais y gwasanaethau cymdeithasol a dim ond gyda chytundeb y teulu. Ni all staff fynd i mewn heb ganiatâd.
service-welfare-check-suits = Teuluoedd lle mae'r gwasanaethau cymdeithasol wedi gofyn am wiriad.
service-outreach-name = Allgymorth yn y gymuned
service-outreach-what-1 = Cymorth un-i-un i blentyn neu deulu, gartref neu yn y gymuned, yn aml ochr yn ochr â gwasanaethau eraill.
service-outreach-suits = Plant mewn gofal, a theuluoedd sydd angen cymorth sy'n gweddu iddyn nhw.

## Which service do I need? (which_service.html, which_service_result.html)

checklist-summary-body = Atebwch bob cwestiwn. Os nad ydych yn siŵr, dewiswch “Dydw i ddim yn gwybod”.
checklist-lead = Atebwch { $count } o gwestiynau i weld a yw cyswllt â chymorth neu gyswllt dan oruchwyliaeth yn fwy tebygol o fod yn addas i'ch teulu.
checklist-guide-only = Canllaw yn unig yw hwn. Mae'r ganolfan yn penderfynu gyda chi, ar ôl siarad â phob oedolyn ar ei ben ei hun.
checklist-not-saved = Nid yw eich atebion yn cael eu cadw. Maent i'w gweld yng nghyfeiriad gwe'r dudalen hon, felly os yw pobl eraill yn defnyddio'r ffôn neu'r cyfrifiadur hwn efallai yr hoffech glirio eich hanes pori wedyn.
checklist-question-of = Cwestiwn { $number } o { $count }
checklist-submit = Gweld pa wasanaeth a allai fod yn addas i chi
checklist-words-html = Ddim yn siŵr am y geiriau a ddefnyddir yma? Gweler yr <a href="/jargon-buster">esboniad o'r jargon</a>, neu darllenwch am <a href="/services">ein holl wasanaethau</a>.

# REVIEW: the general "Ie" / "Na", since each question would take its own answer word
# (Ydy, Oes, Do) in Welsh.
answer-yes = Ie
answer-no = Na
answer-not-sure = Dydw i ddim yn gwybod
answer-none = Heb ei ateb

checklist-court-order-text = A yw gorchymyn llys yn dweud bod rhaid i'r cyswllt fod dan oruchwyliaeth?
checklist-court-order-hint = Byddai hyn wedi'i ysgrifennu yn y gorchymyn trefniadau plant neu mewn gorchymyn arall gan y llys teulu.
checklist-court-order-yes = Mae gorchymyn llys yn dweud bod rhaid i'r cyswllt fod dan oruchwyliaeth, felly rhaid i'r ganolfan ei ddilyn.
checklist-court-order-unsure = Doeddech chi ddim yn gwybod a yw gorchymyn llys yn dweud bod rhaid i'r cyswllt fod dan oruchwyliaeth.
checklist-court-order-missing = Dewiswch a yw gorchymyn llys yn dweud bod rhaid i'r cyswllt fod dan oruchwyliaeth
checklist-abuse-text = A fu cam-drin domestig rhwng yr oedolion?
checklist-abuse-hint = Mae hyn yn cynnwys gwaharddeb, gorchymyn rhag molestu, neu ymwneud gan yr heddlu neu lys troseddol.
checklist-abuse-yes = Bu cam-drin domestig rhwng yr oedolion.
checklist-abuse-unsure = Doeddech chi ddim yn gwybod a fu cam-drin domestig.
checklist-abuse-missing = Dewiswch a fu cam-drin domestig rhwng yr oedolion
checklist-harm-text = A oes pryder y gallai'r plentyn gael niwed, neu a oes gweithiwr cymdeithasol yn ymwneud â'r teulu nawr?
checklist-harm-hint = Er enghraifft, mae gan y plentyn gynllun amddiffyn plant.
checklist-harm-yes = Mae pryder am niwed i'r plentyn, neu mae gofal cymdeithasol yn ymwneud â'r teulu nawr.
checklist-harm-unsure = Doeddech chi ddim yn gwybod a oes risg o niwed neu ymwneud gan ofal cymdeithasol.
checklist-harm-missing = Dewiswch a oes pryder am niwed neu weithiwr cymdeithasol yn ymwneud â'r teulu
checklist-allegations-text = A yw'r heddlu neu'r gwasanaethau cymdeithasol yn dal i ymchwilio i rywbeth a ddywedwyd?
checklist-allegations-hint = Honiad nad oes penderfyniad arno eto.
checklist-allegations-yes = Mae honiadau'n dal i gael eu hymchwilio.
checklist-allegations-unsure = Doeddech chi ddim yn gwybod a yw honiadau'n dal i gael eu hymchwilio.
checklist-allegations-missing = Dewiswch a yw honiadau'n dal i gael eu hymchwilio
checklist-abduction-text = A oes pryder y gallai'r plentyn gael ei gymryd i ffwrdd a pheidio â chael ei ddod yn ôl?
checklist-abduction-hint = Er enghraifft, ei gymryd i wlad arall.
checklist-abduction-yes = Mae pryder y gallai'r plentyn gael ei gymryd. Ni all canolfannau cyswllt â chymorth dderbyn teuluoedd lle mae hyn yn risg.
checklist-abduction-unsure = Doeddech chi ddim yn gwybod a allai'r plentyn gael ei gymryd i ffwrdd.
checklist-abduction-missing = Dewiswch a oes pryder y gallai'r plentyn gael ei gymryd i ffwrdd
checklist-drugs-alcohol-text = A oes pryder am ddefnydd o gyffuriau neu alcohol gan yr oedolyn a fydd yn gweld y plentyn?
checklist-drugs-alcohol-yes = Mae pryder am ddefnydd o gyffuriau neu alcohol.
checklist-drugs-alcohol-unsure = Doeddech chi ddim yn gwybod a oes pryder am gyffuriau neu alcohol.
checklist-drugs-alcohol-missing = Dewiswch a oes pryder am ddefnydd o gyffuriau neu alcohol
checklist-mental-health-text = A oes pryder bod iechyd meddwl oedolyn yn effeithio ar sut mae'n gofalu am y plentyn?
checklist-mental-health-yes = Mae pryder bod iechyd meddwl yn effeithio ar sut y gofelir am y plentyn.
checklist-mental-health-unsure = Doeddech chi ddim yn gwybod a yw iechyd meddwl yn effeithio ar ofalu am y plentyn.
checklist-mental-health-missing = Dewiswch a oes pryder am iechyd meddwl
checklist-care-text = A oes pryder a all yr oedolyn a fydd yn gweld y plentyn ofalu amdano'n ddiogel?
checklist-care-hint = Er enghraifft, bwydo, newid neu gadw plentyn ifanc yn ddiogel.
checklist-care-yes = Mae pryder a ellir gofalu am y plentyn yn ddiogel.
checklist-care-unsure = Doeddech chi ddim yn gwybod a ellir gofalu am y plentyn yn ddiogel.
checklist-care-missing = Dewiswch a oes pryder am ofalu am y plentyn yn ddiogel
checklist-long-gap-text = A yw'n amser hir ers i'r plentyn weld yr oedolyn hwn, neu a yw'r plentyn heb ei adnabod?
checklist-long-gap-yes = Mae'n amser hir ers i'r plentyn weld yr oedolyn hwn, neu nid yw'r plentyn yn ei adnabod.
checklist-long-gap-unsure = Doeddech chi ddim yn gwybod a yw'n amser hir, neu a yw'r plentyn heb adnabod yr oedolyn.
checklist-long-gap-missing = Dewiswch a yw'n amser hir ers i'r plentyn weld yr oedolyn hwn
checklist-conflict-text = A oes llawer o ddicter neu wrthdaro rhwng yr oedolion?
checklist-conflict-yes = Mae llawer o ddicter neu wrthdaro rhwng yr oedolion.
checklist-conflict-unsure = Doeddech chi ddim yn gwybod a oes llawer o ddicter neu wrthdaro.
checklist-conflict-missing = Dewiswch a oes llawer o ddicter neu wrthdaro rhwng yr oedolion

checklist-heading-supported = Gallai cyswllt â chymorth fod yn addas i'ch teulu
checklist-heading-supervised = Mae'n debygol y bydd angen cyswllt dan oruchwyliaeth
checklist-heading-talk-to-us = Siaradwch â ni cyn i chi ddewis
checklist-reason-all-no = Fe wnaethoch ateb na i bob cwestiwn, felly nid oes yr un o'r pryderon sydd angen goruchwyliaeth yn berthnasol.
checklist-reason-low-risk = Mae cyswllt â chymorth ar gyfer teuluoedd lle mae'r risg yn isel: nid oes rhaid i'r rhieni gyfarfod, ac mae staff neu wirfoddolwyr yn yr ystafell.
checklist-reason-talk = Mae'r atebion hyn yn penderfynu rhwng cyswllt â chymorth a chyswllt dan oruchwyliaeth, felly mae'n well eu trafod gyda'r ganolfan cyn i chi ddewis.
checklist-reason-several = Fe wnaethoch ateb ie i { $count } o gwestiynau. Pan fo mwy nag un pryder, mae'r cyswllt dan oruchwyliaeth, o leiaf am y sesiynau cyntaf.
checklist-reason-one = Mae pryder fel hyn fel arfer yn golygu cyswllt dan oruchwyliaeth, o leiaf i ddechrau. Mae'r ganolfan yn gwneud y penderfyniad ar ôl siarad â phob oedolyn.
# REVIEW: the plural forms.
checklist-reason-unsure-count = { $count ->
    [zero] Roedd { $count } o gwestiynau nad oeddech yn gwybod yr ateb iddynt. Bydd y ganolfan yn gofyn amdanynt hefyd.
    [one] Roedd 1 cwestiwn nad oeddech yn gwybod yr ateb iddo. Bydd y ganolfan yn gofyn amdano hefyd.
    [two] Roedd 2 gwestiwn nad oeddech yn gwybod yr ateb iddynt. Bydd y ganolfan yn gofyn amdanynt hefyd.
    [few] Roedd { $count } chwestiwn nad oeddech yn gwybod yr ateb iddynt. Bydd y ganolfan yn gofyn amdanynt hefyd.
    [many] Roedd { $count } chwestiwn nad oeddech yn gwybod yr ateb iddynt. Bydd y ganolfan yn gofyn amdanynt hefyd.
   *[other] Roedd { $count } o gwestiynau nad oeddech yn gwybod yr ateb iddynt. Bydd y ganolfan yn gofyn amdanynt hefyd.
    }

result-change = Newid eich atebion
result-supported-html = O'ch atebion, gallai <a href="/services#supported">cyswllt â chymorth</a> fod yn iawn i'ch teulu. Mae sawl teulu'n rhannu ystafelloedd y ganolfan, gyda staff neu wirfoddolwyr yno i helpu, ac nid oes rhaid i'r rhieni gyfarfod.
result-supervised-html = O'ch atebion, mae'n debygol y bydd angen <a href="/services#supervised">cyswllt dan oruchwyliaeth</a>, o leiaf i ddechrau. Mae goruchwyliwr hyfforddedig yn aros gyda'ch plentyn drwy'r amser, un teulu ar y tro.
result-talk-to-us = Mae rhai o'ch atebion yn penderfynu pa wasanaeth sy'n ddiogel, ac nid oeddech yn siŵr amdanynt. Cysylltwch â'r ganolfan a gofynnwch am gael siarad am ba wasanaeth sy'n iawn. Nid oes angen i chi wybod yr holl atebion.
result-refer-yourself = Atgyfeirio eich hun
result-refer-yourself-supported = Atgyfeirio eich hun ar gyfer cyswllt â chymorth
result-refer-yourself-supervised = Atgyfeirio eich hun ar gyfer cyswllt dan oruchwyliaeth
result-or-professional-html = Neu gofynnwch i weithiwr proffesiynol sy'n gweithio gyda'ch teulu eich atgyfeirio: <a href="/refer">sut i gael eich atgyfeirio</a>.
result-why = Pam
result-next = Beth sy'n digwydd nesaf
result-next-text = Canllaw yw hwn, nid penderfyniad. Mae'r ganolfan yn penderfynu pa wasanaeth i'w gynnig ar ôl darllen yr atgyfeiriad a siarad â phob oedolyn ar ei ben ei hun. Mae teuluoedd yn aml yn symud ymlaen, er enghraifft o gyswllt dan oruchwyliaeth i gyswllt â chymorth, wrth i bethau fynd yn dda.
result-all-services = Ein holl wasanaethau
result-your-answers = Eich atebion
result-change-or-restart-html = neu <a href="/which-service">dechrau eto</a>.

## How to be referred (refer.html)

refer-lead = Gall gweithiwr proffesiynol atgyfeirio eich teulu at y ganolfan, neu gallwch eich atgyfeirio eich hun.
refer-danger = Os ydych chi neu blentyn mewn perygl nawr, ffoniwch 999.
refer-professional = Os yw gweithiwr proffesiynol yn eich atgyfeirio
refer-professional-intro = Caiff y rhan fwyaf o deuluoedd eu hatgyfeirio gan rywun sy'n gweithio gyda nhw, er enghraifft:
refer-cafcass = swyddog Cafcass Cymru (Cafcass yn Lloegr), pan fo achos llys
refer-court = y llys teulu
refer-solicitor = cyfreithiwr
refer-social-worker = gweithiwr cymdeithasol
refer-mediator = cyfryngwr, neu ganolfan gyswllt arall
refer-what-they-send = Maent yn anfon atgyfeiriad am eich teulu at y ganolfan: gyda phwy mae'r plentyn yn byw, pwy a allai ddod i'r cyswllt, unrhyw orchmynion llys, ac unrhyw beth sy'n effeithio ar ddiogelwch. Os oes gennych un o'r gweithwyr proffesiynol hyn, gofynnwch iddynt eich atgyfeirio.
refer-no-charge-html = Os gorchmynnodd y llys gyswllt drwy Cafcass, nid oes tâl i'r naill riant na'r llall. <a href="/prices">Gweld y prisiau</a>.
refer-professionals-online-html = Gall gweithwyr proffesiynol sydd â chyfrif <a href="/login">fewngofnodi</a> i anfon atgyfeiriad ar-lein.
refer-yourself = Eich atgyfeirio eich hun
refer-yourself-text = Gallwch eich atgyfeirio eich hun os nad oes gweithiwr proffesiynol yn ymwneud â'ch teulu, neu os ydych chi a'r rhiant arall wedi cytuno i ddefnyddio'r ganolfan. Dim ond amdanoch chi a'ch plant y byddwch yn dweud wrthym: mae'r ganolfan yn gofyn i'r rhiant arall am ei ran ar wahân.
refer-yourself-online = Atgyfeirio eich hun ar-lein
refer-not-online = Os byddai'n well gennych beidio â defnyddio'r ffurflen ar-lein, cysylltwch â'r ganolfan a dywedwch yr hoffech wneud hunanatgyfeiriad. Bydd y ganolfan yn gofyn i chi am eich teulu ac yn esbonio beth sy'n digwydd nesaf.
refer-contacts = Sut i gysylltu â'r canolfannau
refer-call = ffoniwch
refer-use-the-form-html = defnyddiwch y <a href="/self-referral">ffurflen ar-lein</a>
refer-paying = Os ydych yn talu eich hun, mae tâl am ymweliadau cyn dechrau ac am sesiynau. Gofynnwch i'r ganolfan a oes help gyda'r gost ar gael.
refer-after = Beth sy'n digwydd ar ôl atgyfeiriad
refer-after-1 = Mae'r ganolfan yn gwirio bod ganddi bopeth sydd ei angen arni. Efallai y bydd rhestr aros.
refer-after-2 = Mae'r ganolfan yn cysylltu â'r rhiant arall ar wahân. Nid oes rhaid i chi gysylltu â nhw eich hun.
refer-after-3 = Mae gan bob oedolyn ei ymweliad cyn dechrau ei hun, ar amser gwahanol. Ni fydd neb byth yn gofyn i chi gyfarfod â'r rhiant arall.
refer-after-4 = Yn eich ymweliad cyn dechrau rydych yn gweld yr ystafelloedd, yn cyfarfod â'r staff ac yn cytuno ar y rheolau sylfaenol. Mae'r rhiant y mae'r plentyn yn byw gydag ef neu hi yn dod â'r plentyn i gael golwg o gwmpas.
refer-after-5 = Mae'r sesiynau'n dechrau. Caiff yr amseroedd cyrraedd a gadael eu cynllunio fel nad yw'r rhieni'n cyfarfod.
refer-other-parent = Beth fydd y rhiant arall yn ei weld
refer-other-parent-text = Nid yw'r hyn rydych yn ei ddweud wrth y ganolfan yn eich atgyfeiriad yn cael ei ddangos i'r rhiant arall. Os oes rhaid cadw eich cyfeiriad neu eich rhif ffôn oddi wrthynt, dywedwch wrth y ganolfan a chaiff ei gadw'n gudd.
refer-confidential = Caiff popeth ei gadw'n gyfrinachol oni bai bod plentyn neu oedolyn mewn perygl o niwed. Yna rhaid i'r ganolfan ddweud wrth y bobl a all eu cadw'n ddiogel.
refer-before = Cyn i chi gysylltu â'r ganolfan

## Prices (prices.html)

prices-lead = Os gorchmynnodd y llys gyswllt drwy Cafcass, nid oes tâl i'r naill riant na'r llall.
prices-intro = Mae gorchymyn llys drwy Cafcass fel arfer yn talu am chwe sesiwn. Os na chawsoch eich atgyfeirio gan y llys, rydych yn talu prisiau'r ganolfan isod. Gofynnwch i'r ganolfan a oes help gyda'r gost ar gael.
prices-none = Nid yw'r canolfannau wedi cyhoeddi eu prisiau yma eto: gofynnwch i'r ganolfan.
prices-at = Prisiau yn { $centre }
prices-what = Beth
prices-price = Pris
prices-cancel-free = Nid yw canslo'n hwyr yn costio dim yma, ond rhowch gymaint o rybudd ag y gallwch.
prices-if-cancelled = Os caiff sesiwn ei chanslo:
# REVIEW
prices-tier = gyda llai na { $hours } awr o rybudd, os bydd { $who ->
        [resident] y rhiant y mae'r plentyn yn byw gydag ef neu hi
       *[other] y rhiant arall
    } yn canslo, bydd yn colli { $loses ->
        [deposit] ei flaendal neu ei blaendal
        [session] y taliad am y sesiwn honno
        [part] { $percent }% o'r taliad am y sesiwn honno
       *[nothing] dim
    }
prices-paying = Talu
prices-paying-text = Dim ond pan fydd apwyntiad wedi'i dalu (neu, os gorchmynnodd y llys ef, wedi'i ariannu) y caiff ei gadarnhau. Os yw'r ganolfan yn canslo, nid ydych yn colli dim, ac ni chaiff arian byth ei gadw heb reswm y gallwch ei weld ar eich cyfrif.

price-referral_fee = Ffi atgyfeirio
price-pre_visit = Ymweliad cyn dechrau (y person)
price-supervised_session = Sesiwn dan oruchwyliaeth (dwy awr)
price-supported_session = Sesiwn â chymorth
price-handover_session = Trosglwyddo
price-deposit = Blaendal (y rhiant preswyl)
price-written_report = Adroddiad ysgrifenedig
price-incident_report = Adroddiad digwyddiad
price-mileage = Milltiroedd (y filltir)
price-supported_donation = Rhodd a awgrymir (sesiwn â chymorth)

## Jargon buster (jargon_buster.html)

jargon-lead = Y geiriau a'r llythrennau y gallech eu clywed gan y ganolfan, y llys a gwasanaethau eraill, a'u hystyr.

# REVIEW: the terms and their Welsh forms.
term-c8-term = C8
term-c8-meaning = Y ffurflen llys a ddefnyddir i gadw cyfeiriad neu rif ffôn yn gyfrinachol rhag y bobl eraill mewn achos llys.
term-cafcass-term = Cafcass
term-cafcass-meaning = Y Gwasanaeth Cynghori a Chynorthwyo Llys i Blant a Theuluoedd: mae'n cynghori'r llys teulu am blant yn Lloegr. Yng Nghymru Cafcass Cymru ydyw.
term-cao-term = CAO (gorchymyn trefniadau plant)
term-cao-meaning = Y gorchymyn llys sy'n dweud gyda phwy mae plentyn yn byw a gyda phwy mae'n treulio amser.
term-cci-term = CCI (Ymyriad Cyswllt Plant)
term-cci-meaning = Cyfres fer o sesiynau cyswllt dan oruchwyliaeth a delir gan Cafcass.
term-dbs-term = Gwiriad DBS
term-dbs-meaning = Gwiriad cofnodion troseddol. Mae gan staff a gwirfoddolwyr canolfan gyswllt un.
term-dsl-term = DSL (Arweinydd Diogelu Dynodedig)
term-dsl-meaning = Y person yn y ganolfan sy'n penderfynu beth i'w wneud pan fo rhywun yn poeni am ddiogelwch plentyn neu oedolyn.
term-handover-term = Trosglwyddo
term-handover-meaning = Pan mai'r ganolfan yw'r lle y caiff y plentyn ei ollwng a'i gasglu yn unig, fel nad oes rhaid i'r rhieni gyfarfod. Mae'r amser gyda'i gilydd yn digwydd yn rhywle arall.
term-injunction-term = Gwaharddeb
term-injunction-meaning = Gorchymyn llys sy'n dweud wrth rywun am wneud rhywbeth, neu am beidio â'i wneud: er enghraifft peidio â chysylltu ag oedolyn arall.
term-lado-term = LADO (swyddog dynodedig yr awdurdod lleol)
term-lado-meaning = Y person yn y cyngor sy'n delio â phryderon am oedolion sy'n gweithio gyda phlant, gan gynnwys staff a gwirfoddolwyr.
term-mash-term = MASH (hyb diogelu amlasiantaethol)
term-mash-meaning = Lle mae'r cyngor, yr heddlu, gwasanaethau iechyd ac eraill yn rhannu gwybodaeth i gadw plant yn ddiogel.
term-naccc-term = NACCC
term-naccc-meaning = Cymdeithas Genedlaethol Canolfannau Cyswllt Plant. Mae'n gosod y safonau y caiff canolfannau eu hachredu yn eu herbyn.
term-non-molestation-order-term = Gorchymyn rhag molestu
term-non-molestation-order-meaning = Gorchymyn llys sy'n atal rhywun rhag bygwth, aflonyddu ar berson arall neu fod yn dreisgar tuag ato.
term-nrp-term = Rhiant dibreswyl (NRP)
term-nrp-meaning = Y rhiant nad yw'r plentyn yn byw gydag ef neu hi, sy'n dod i'r ganolfan i weld y plentyn. Gall hefyd fod yn berthynas arall, fel nain neu daid, tad-cu neu fam-gu.
term-pr-term = PR (cyfrifoldeb rhiant)
term-pr-meaning = Yr hawliau a'r cyfrifoldebau cyfreithiol sydd gan riant dros blentyn, fel cytuno i driniaeth feddygol neu ddewis ysgol.
term-pre-visit-term = Ymweliad cyn dechrau
term-pre-visit-meaning = Cyfarfod yn y ganolfan cyn i'r cyswllt ddechrau. Mae gan bob oedolyn ei gyfarfod ei hun, byth gyda'i gilydd. Rydych yn gweld yr ystafelloedd, yn cyfarfod â'r staff ac yn cytuno ar y rheolau sylfaenol. Mae'r rhiant preswyl yn dod â'r plentyn.
term-rp-term = Rhiant preswyl (RP)
term-rp-meaning = Y rhiant neu'r gofalwr y mae'r plentyn yn byw gydag ef neu hi, sy'n dod â'r plentyn i'r ganolfan.
term-supervised-term = Cyswllt dan oruchwyliaeth
term-supervised-meaning = Cyswllt i un teulu ar y tro, gyda goruchwyliwr sy'n gallu gweld a chlywed y plentyn drwy'r amser ac sy'n ysgrifennu beth sy'n digwydd.
term-supported-term = Cyswllt â chymorth
term-supported-meaning = Cyswllt mewn ystafell a rennir gan sawl teulu, gyda staff neu wirfoddolwyr yno i helpu. Nid ydynt yn gwylio'n agos nac yn ysgrifennu nodiadau am yr ymweliad.

## Sign in (login.html)

login-title = Mewngofnodi
login-email = Cyfeiriad e-bost
login-password = Cyfrinair
login-forgotten = Wedi anghofio eich cyfrinair?

## Refer yourself (self_referral.html) and its thanks (thanks.html)

self-title = Atgyfeirio eich hun
self-heading = Atgyfeirio eich hun at ganolfan cyswllt plant
self-lead = Dywedwch wrthym amdanoch chi a'ch plant. Byddwn yn gofyn i'r rhiant arall ar wahân: ni fyddant byth yn gweld yr hyn rydych yn ei ysgrifennu yma.
self-which-centre = Pa ganolfan?
self-choose-centre = Dewiswch ganolfan
self-about-you = Amdanoch chi
self-live-with-you = Ydy'r plant yn byw gyda chi?
self-live-yes = Ydyn, maen nhw'n byw gyda fi
self-live-no = Nac ydyn, rydw i eisiau eu gweld
self-your-name = Eich enw llawn
self-your-relationship = Rydych chi'n un o'r canlynol i'r plant
self-your-relationship-hint = Er enghraifft mam, tad, nain neu daid
self-your-pr = Oes gennych chi gyfrifoldeb rhiant dros y plant?
self-your-pr-hint = Mae gan fam gyfrifoldeb rhiant, ac felly hefyd dad sy'n briod â'r fam neu sydd wedi'i enwi ar y dystysgrif geni. Dywedwch os nad ydych yn gwybod.
self-yes = Oes
self-no = Nac oes
self-do-not-know = Dydw i ddim yn gwybod
self-your-address = Eich cyfeiriad (dewisol)
self-your-phone = Eich rhif ffôn (dewisol)
self-your-phone-hint = Os byddwch yn rhoi un, bydd y ganolfan yn eich ffonio i drefnu ymweliad. Os na, byddant yn anfon e-bost neu'n ysgrifennu atoch
self-your-email = Eich cyfeiriad e-bost (dewisol)
self-keep-hidden = Cadw fy nghyfeiriad, fy rhif ffôn a fy e-bost yn gudd rhag y rhiant arall
self-your-language = Iaith, os nad Cymraeg neu Saesneg, ac a oes angen cyfieithydd arnoch (dewisol)
self-your-access = Unrhyw beth a fyddai'n gwneud ymweld yn haws i chi (dewisol)
self-your-access-hint = Er enghraifft mynediad heb risiau
self-your-availability = Pryd allwch chi ddod? (dewisol)
self-your-availability-hint = Diwrnodau ac amseroedd
self-children = Y plant
self-child = Plentyn { $number }
self-child-optional = Plentyn { $number } (dewisol)
self-child-name = Enw llawn
self-child-dob = Dyddiad geni
self-other-parent = Y rhiant arall
self-other-name = Ei enw llawn
self-other-name-hint = Mae'r ganolfan yn cysylltu â nhw ar wahân ac yn gofyn am eu hochr nhw
self-other-relationship = Maen nhw'n un o'r canlynol i'r plant
self-other-reach = Sut gall y ganolfan gysylltu â nhw? Rhowch yr hyn rydych yn ei wybod; ni ddywedir wrthynt mai chi a'i rhoddodd.
self-other-phone = Eu rhif ffôn (dewisol)
self-other-email = Eu cyfeiriad e-bost (dewisol)
self-other-address = Eu cyfeiriad (dewisol)
self-orders = Gorchmynion llys
self-orders-question = A oes gorchymyn llys am y plant, neu amdanoch chi a'r rhiant arall? (dewisol)
self-orders-hint = Ticiwch unrhyw rai sydd. Bydd y ganolfan yn gofyn am gael gweld copi.
self-order-details = Beth mae'r gorchymyn yn ei ddweud, a pryd y cafodd ei wneud? (dewisol)
self-service = Y gwasanaeth
self-service-question = Pa wasanaeth ydych chi'n meddwl sydd ei angen arnoch? (dewisol)
self-service-hint-html = Mae'r ganolfan yn penderfynu ar ôl siarad â phob un ohonoch. <a href="/which-service">Pa wasanaeth sydd ei angen arnaf?</a>
self-service-supported = Cyswllt â chymorth
self-service-supervised = Cyswllt dan oruchwyliaeth
self-service-unsure = Dydw i ddim yn siŵr
self-safety = Diogelwch
self-safety-question = A oes unrhyw beth y dylem ei wybod i'ch cadw chi a'r plant yn ddiogel? (dewisol)
self-safety-hint = Er enghraifft gorchymyn llys, gorchymyn rhag molestu, neu bryderon am gyswllt. Nid yw'r rhiant arall byth yn gweld hyn.
self-consent = Caiff y ganolfan ddefnyddio'r hyn rydw i wedi'i ddweud wrthi i benderfynu sut i helpu
self-send = Anfon

# REVIEW: the names of the orders.
order-child_arrangements = Gorchymyn trefniadau plant
order-non_molestation = Gorchymyn rhag molestu
order-injunction = Gwaharddeb
order-prohibited_steps = Gorchymyn camau gwaharddedig
order-specific_issue = Gorchymyn mater penodol
order-other = Gorchymyn arall

thanks-title = Wedi'i anfon
thanks-heading = Diolch: mae gennym eich atgyfeiriad
thanks-reference = Eich cyfeirnod yw
thanks-next = Beth sy'n digwydd nesaf
thanks-not-shown = Nid oes dim o'r hyn a ysgrifennoch yn cael ei ddangos i'r rhiant arall.
