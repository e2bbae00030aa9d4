# Geiriau pob PDF: the words of every PDF familytime writes, in Welsh. Keys match en/letters.ftl
# one for one (a test fails when they do not). Names, reasons and other text someone typed are
# passed in as variables and never translated. Amounts are written £12.50, as in English.
#
# FOR A WELSH SPEAKER TO REVIEW before a centre uses these. Everything here was written with care
# but has not yet been read by a Welsh-speaking contact centre worker. In particular:
# - The money words: "Hepgoriad" (a waiver), "Tynnwyd yn ôl" (a charge taken back), "fforffedu"
#   (a deposit forfeited), "Ffi" for a charge; check them against a Welsh charity's own invoices.
# - The letters' decision and next-step paragraphs: the register (formal "chi" throughout) and
#   "atal … dros dro" for suspending the service.
# - pdf-letter-and / pdf-letter-and-vowel: children's names are joined with "a", or "ac" before a
#   vowel; a name is never mutated (names are never changed), though Welsh would mutate after "a".
# - The report's words: "Stwnshiau cynnwys" for content hashes, "Atodiad" for an addendum, and the
#   caveat on how a report may be used, which courts and Cafcass Cymru read.
# - The observation sections' headings (pdf-report-section-*), and pdf-report-session-on, written
#   "Sesiwn: Dydd Llun, 14 Rhagfyr 2026, 10:00" to keep the date as CLDR writes it.

## Geiriau'r templed: words the template adds to every document

pdf-invoice-label = ANFONEB
pdf-page-of = Tudalen { $page } o { $pages }

## Labeli'r papurau arian: labels shared by the money papers

pdf-date = Dyddiad
pdf-to = At
pdf-amount = Swm
pdf-reference = Cyfeirnod
pdf-case = Achos
pdf-charity-number = Rhif elusen gofrestredig { $number }

## Derbynneb: a receipt

pdf-receipt-title = Derbynneb
pdf-receipt-from = Derbyniwyd gan
pdf-receipt-paid-by = Dull talu
pdf-receipt-payment-thanks = Derbyniwyd y taliad, gyda diolch.
pdf-receipt-deposit-thanks = Derbyniwyd y blaendal, gyda diolch.

## Sut y talwyd: how a payment was made

pdf-method-cash = Arian parod
pdf-method-card = Cerdyn
pdf-method-bank_transfer = Trosglwyddiad banc
pdf-method-cheque = Siec

## Datganiad: a statement

pdf-statement-title = Datganiad
pdf-statement-for = Ar gyfer
pdf-statement-balance = Balans
pdf-statement-deposit-held = Blaendal a ddelir
pdf-statement-entry = Cofnod
pdf-statement-detail = Manylion

## Pob cofnod ar gyfrif: what each entry on an account is

# REVIEW
pdf-entry-charge = Ffi
pdf-entry-payment = Taliad
pdf-entry-refund = Ad-daliad
# REVIEW
pdf-entry-waiver = Hepgoriad
# REVIEW
pdf-entry-credit = Tynnwyd yn ôl
pdf-entry-deposit_held = Blaendal wedi'i dalu
pdf-entry-deposit_returned = Blaendal wedi'i ddychwelyd
# REVIEW
pdf-entry-deposit_forfeited = Blaendal wedi'i fforffedu

## Sefyllfa'r cyfrif: where an account stands

pdf-balance-nothing = Dim i'w dalu
pdf-balance-owed = { $amount } yn ddyledus
pdf-balance-credit = { $amount } mewn credyd

## Anfoneb: an invoice

pdf-invoice-title = Anfoneb { $number }
pdf-invoice-number = Rhif yr anfoneb
pdf-invoice-due-by = I'w thalu erbyn
pdf-invoice-balance-at = Balans yn ddyledus ar { $date }
pdf-invoice-description = Disgrifiad
pdf-invoice-total = Cyfanswm
pdf-invoice-billed = Cyfanswm a anfonebwyd
# REVIEW
pdf-invoice-taken-back = Tynnwyd yn ôl ers hynny (sesiynau a ganslwyd, ffioedd a hepgorwyd)
pdf-invoice-paid-by = Talwyd erbyn { $date }
pdf-invoice-balance-due = Balans yn ddyledus
pdf-invoice-payments-heading = Taliadau a'r balans
pdf-invoice-payments-rule = Mae taliadau'n talu'r ffioedd hynaf yn gyntaf; y balans sy'n ddyledus yw'r hyn sy'n dal yn ddyledus ar ffioedd yr anfoneb hon.
pdf-invoice-how-to-pay = Sut i dalu
pdf-invoice-quote = Nodwch rif yr anfoneb, { $number }, gyda'ch taliad os gwelwch yn dda.
pdf-invoice-line-charge = { $item }
pdf-invoice-line-charge-on = { $item }, { $when }
pdf-invoice-line-waived = Hepgorwyd: { $reason }
pdf-invoice-line-waived-on = Hepgorwyd, { $when }: { $reason }
pdf-invoice-line-taken-back = Tynnwyd yn ôl: { $reason }
pdf-invoice-line-taken-back-on = Tynnwyd yn ôl, { $when }: { $reason }

## Y llythyrau: the letters ending or suspending a service

pdf-letter-ended-title = Hysbysiad bod y gwasanaeth cyswllt yn dod i ben
# REVIEW
pdf-letter-suspended-title = Hysbysiad bod y gwasanaeth cyswllt wedi'i atal dros dro
pdf-letter-dear = Annwyl { $name },
# REVIEW
pdf-letter-ended-decision = Rydym yn ysgrifennu i roi gwybod i chi fod { $organisation } wedi penderfynu dod â'r gwasanaeth cyswllt i ben ar gyfer { $children }. Daw'r penderfyniad i rym ar { $date }.
# REVIEW
pdf-letter-suspended-decision = Rydym yn ysgrifennu i roi gwybod i chi fod { $organisation } wedi penderfynu atal y gwasanaeth cyswllt ar gyfer { $children } dros dro. Daw'r ataliad i rym ar { $date }.
pdf-letter-why = Pam
pdf-letter-next = Beth sy'n digwydd nesaf
# REVIEW
pdf-letter-ended-next-parent = Ni fydd rhagor o sesiynau'n cael eu cynnal yn y ganolfan i'r teulu hwn ar ôl y dyddiad hwnnw. Caiff unrhyw sesiynau a drefnwyd ar ôl hynny eu canslo, a bydd y ganolfan yn cadarnhau hyn i chi. Os hoffech drafod y penderfyniad hwn, cysylltwch â'r ganolfan; os oes achos llys, efallai yr hoffech ddweud wrth eich cyfreithiwr neu wrth y llys.
# REVIEW
pdf-letter-suspended-next-parent = Ni chynhelir unrhyw sesiynau tra bo'r gwasanaeth wedi'i atal. Bydd y ganolfan yn adolygu'r ataliad ac yn ysgrifennu atoch eto cyn trefnu unrhyw sesiwn. Os hoffech drafod y penderfyniad hwn, cysylltwch â'r ganolfan.
# REVIEW
pdf-letter-ended-next-referrer = Ni fydd rhagor o sesiynau'n cael eu cynnal i'r teulu hwn ar ôl y dyddiad hwnnw. Rydym wedi ysgrifennu at y ddau riant ar wahân. Cysylltwch â'r ganolfan os oes arnoch angen unrhyw beth arall ar gyfer achos y teulu.
# REVIEW
pdf-letter-suspended-next-referrer = Ni chynhelir unrhyw sesiynau tra bo'r gwasanaeth wedi'i atal. Rydym wedi ysgrifennu at y ddau riant ar wahân. Bydd y ganolfan yn ysgrifennu atoch eto cyn trefnu unrhyw sesiwn.
pdf-letter-sign-off = Yn gywir,
# REVIEW: "a", and "ac" before a name that begins with a vowel.
pdf-letter-and = a
pdf-letter-and-vowel = ac
pdf-letter-the-resident = y rhiant preswyl
pdf-letter-the-visiting = y rhiant sy'n ymweld
pdf-letter-the-referrer = yr atgyfeiriwr

## Adroddiadau: the cover page and headings of a report written in Welsh

pdf-report-kind = Math
pdf-report-status = Statws
pdf-report-written-by = Ysgrifennwyd gan
pdf-report-checked-by = Gwiriwyd ei ansawdd gan
pdf-report-approved = Cymeradwywyd
pdf-report-children = Plant
pdf-report-summary = Crynodeb
# REVIEW: "Sesiwn ddydd Llun" would mutate the day's name, which comes whole from CLDR.
pdf-report-session-on = Sesiwn: { $when }
pdf-report-supervisor = Goruchwyliwr
pdf-report-signed-off = Llofnodwyd
# REVIEW
pdf-report-addendum = Atodiad gan { $name } ar { $when } (pam: { $reason }):
pdf-report-hash-record = Cofnod { $when }: { $hash }
pdf-report-hash-report = Yr adroddiad hwn: { $hash }
# REVIEW
pdf-report-hashes = Stwnshiau cynnwys (SHA-256), a gofnodwyd yn log archwilio'r ganolfan pan lofnodwyd pob cofnod ac y cymeradwywyd yr adroddiad hwn:
# REVIEW
pdf-report-caveat = Mae'r adroddiad hwn yn cofnodi'r hyn a welodd ac a glywodd y staff yn ystod cyswllt dan oruchwyliaeth. Cofnod ffeithiol ydyw, nid asesiad nac argymhelliad ynghylch cyswllt. Fe'i hysgrifennwyd ar gyfer y person neu'r llys a ofynnodd amdano, a dim ond yn yr achos neu'r gwaith y gofynnwyd amdano y caniateir ei ddefnyddio. Peidiwch â'i rannu ymhellach heb gytundeb y ganolfan. Os gorchmynnodd llys yr adroddiad hwn, mae'n eiddo i'r llys ac yn mynd dim ond at y rhai a enwir yn y gorchymyn.
pdf-report-kind-session = Adroddiad arsylwi sesiwn
pdf-report-kind-summary = Adroddiad cryno ar ddiwedd y gyfres
pdf-report-status-draft = Drafft
pdf-report-status-in_check = Yn aros am wiriad ansawdd
pdf-report-status-approved = Cymeradwywyd
pdf-report-status-released = Rhyddhawyd
pdf-report-section-arrival = Cyrraedd a chyfarch
# REVIEW
pdf-report-section-mood = Hwyliau'r plentyn wrth drosglwyddo
pdf-report-section-interaction = Y rhyngweithio
pdf-report-section-care = Gofal
pdf-report-section-boundaries = Ffiniau
pdf-report-section-language = Iaith
pdf-report-section-interventions = Ymyriadau
pdf-report-section-ending = Y diwedd a ffarwelio
pdf-report-section-concerns = Pryderon
pdf-report-section-notes = Unrhyw beth arall
