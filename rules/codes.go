package rules

// Reason codes: stable identifiers (≤ 16 chars, A-Z, digits, underscore) carried on the
// wire in status/code and messages. One rule id each (rules.md). Never rename a code:
// clients and conformance suites match on them.
const (
	CodeSSINInvalid     = "SSIN_INVALID"     // R-SSIN
	CodeCBEInvalid      = "CBE_INVALID"      // R-CBE
	CodeCBEMismatch     = "CBE_MISMATCH"     // R-CBE
	CodePersonUnknown   = "PERSON_UNKNOWN"   // R-PERSON-KNOWN
	CodeGenderMissing   = "GENDER_MISSING"   // R-GENDER
	CodeFedasilHoused   = "FEDASIL_HOUSED"   // R-FEDASIL
	CodeDateMissing     = "DATE_MISSING"     // R-DATES
	CodePeriodInverted  = "PERIOD_INVERTED"  // R-DATES
	CodeProviderPeriod  = "PERIOD_OVER_30"   // R-CONSULT-PROVIDER
	CodeCoverInverted   = "COVER_INVERTED"   // R-DATES
	CodePeriodTooLong   = "PERIOD_TOO_LONG"  // R-MAX-12M
	CodeStartTooEarly   = "START_TOO_EARLY"  // R-RETRO-60
	CodeOverlapOwnCPAS  = "OVERLAP_OWN_CPAS" // R-OVERLAP
	CodeOverlapOther    = "OVERLAP_OTHER"    // R-OVERLAP
	CodeCoverOutside    = "COVER_OUTSIDE"    // R-COVER-IN-DECISION
	CodeCoverDuplicate  = "COVER_DUPLICATE"  // R-COVER-CONTIGUOUS
	CodeNoSituation     = "NO_SITUATION"     // R-STATE-PART
	CodeRefundUnknown   = "REFUND_UNKNOWN"   // R-STATE-PART
	CodeNotManager      = "NOT_MANAGER"      // R-MANAGER
	CodeDecisionUnknown = "DECISION_UNKNOWN" // R-MANAGER
	CodeVersionConflict = "VERSION_CONFLICT" // R-VERSIONING
	CodeVersionUnknown  = "VERSION_UNKNOWN"  // R-CONSULT-CPAS
	CodeStopRetro       = "STOP_RETRO"       // R-STOP
	CodeStopOutside     = "STOP_OUTSIDE"     // R-STOP
	CodeCloseStarted    = "CLOSE_STARTED"    // R-CLOSE
	CodeCloseStatus     = "CLOSE_STATUS"     // R-CLOSE
	CodeDecisionClosed  = "DECISION_CLOSED"  // R-CLOSE
	CodeNoRevival       = "NO_REVIVAL"       // R-NO-REVIVAL
	CodeSuspendedFrozen = "SUSPENDED_FROZEN" // R-SUSPENDED-FROZEN
	CodeNotSuspended    = "NOT_SUSPENDED"    // R-REACTIVATE
	CodeActionInvalid   = "ACTION_INVALID"   // R-REACTIVATE
	CodeTicketReused    = "TICKET_REUSED"    // R-IDEMPOTENT (design §4; not yet in rules.md)
	CodePersonMismatch  = "PERSON_MISMATCH"  // R-ONE-PERSON
	CodeAfterDeath      = "AFTER_DEATH"      // R-DEATH-5
	CodeStatusChange    = "STATUS_CHANGE"    // R-STATUS-CHANGE
	CodeCoverTooLong    = "COVER_TOO_LONG"   // R-COVER-92
	CodeCoverDisjoint   = "COVER_DISJOINT"   // R-COVER-CONTIGUOUS
	CodeHospWithoutAmb  = "HOSP_WITHOUT_AMB" // R-HOSP-AMB
	CodeAmbWithoutHosp  = "AMB_WITHOUT_HOSP" // R-HOSP-AMB
	CodeShareInvalid    = "SHARE_INVALID"    // R-CPAS-PART
	CodeShareStatePaid  = "SHARE_STATE_PAID" // R-CPAS-PART
	CodeCommentNoPart   = "COMMENT_NO_PART"  // R-COMMENTS
	CodeCommentKind     = "COMMENT_KIND"     // R-COMMENTS
	CodePartialNoCond   = "PARTIAL_NO_COND"  // R-COMMENTS
	CodeAmountNegative  = "AMOUNT_NEGATIVE"  // R-COMMENTS
	CodeProviderInvalid = "PROVIDER_INVALID" // R-NIHII
	CodeNoProviderList  = "NO_PROVIDER_LIST" // R-PROVIDERS
	CodeProviderTwice   = "PROVIDER_TWICE"   // R-PROVIDERS
	CodeStartLater      = "START_LATER"      // R-NO-PAST-REDUCTION
	CodeEndTooEarly     = "END_TOO_EARLY"    // R-NO-PAST-REDUCTION
	CodeCoverRemoved    = "COVER_REMOVED"    // R-NO-PAST-REDUCTION
	CodeCoverStartLate  = "COVER_START_LATE" // R-NO-PAST-REDUCTION
	CodeCoverEndEarly   = "COVER_END_EARLY"  // R-NO-PAST-REDUCTION
	CodeShareReduced    = "SHARE_REDUCED"    // R-NO-PAST-REDUCTION
	CodeAmountReduced   = "AMOUNT_REDUCED"   // R-NO-PAST-REDUCTION
	CodeConditionAdded  = "CONDITION_ADDED"  // R-NO-PAST-REDUCTION
	CodeListIntroduced  = "LIST_INTRODUCED"  // R-PROVIDER-LIST
	CodeProviderRemoved = "PROVIDER_REMOVED" // R-PROVIDER-LIST
	CodeRetroStopped    = "RETRO_STOPPED"    // R-EXPIRED-EXTEND
	CodeStopSuspDate    = "STOP_SUSP_DATE"   // R-STOP-SUSPENDED
	CodeLateRegister    = "LATE_REGISTER"    // R-DEADLINE-8 (rules.md §2, §9): a WARNING only, never an error
	CodeAmiPartial      = "AMI_PARTIAL"      // R-CPAS-PART: the AMI part is taken wholly or not at all
	CodeStopDeathDate   = "STOP_DEATH_DATE"  // R-STOP-SUSPENDED: a death suspension's stop window (STOP_SUSP_DATE: refund code)

	// Registry mutations, suspensions and notices (rules.md §5).
	CodePersonReplaced = "PERSON_REPLACED"  // R-MUT-SSIN
	CodeNewSSINInvalid = "NEW_SSIN_INVALID" // R-MUT-SSIN
	CodeSSINSame       = "SSIN_SAME"        // R-MUT-SSIN
	CodeNameInvalid    = "NAME_INVALID"     // R-MUT-NAME
	CodeMajorInvalid   = "MAJOR_INVALID"    // R-MUT-MAJOR
	CodeDeathInvalid   = "DEATH_INVALID"    // R-MUT-DEATH
	CodeSituationBad   = "SITUATION_BAD"    // R-MUT-REFUND
	CodeMutationKind   = "MUTATION_KIND"    // R-MUT-ORDER (technical: the wire cannot send it)
	CodeActivateOrder  = "ACTIVATE_ORDER"   // R-MUT-ORDER
	CodeStopOverlap    = "STOP_OVERLAP"     // R-MUT-ORDER
	CodeReactShorten   = "REACT_SHORTEN"    // R-REACTIVATE
	CodeReactGap       = "REACT_GAP"        // R-REACTIVATE
	CodeNoticeUnknown  = "NOTICE_UNKNOWN"   // R-NOTICE
	CodePersonExists   = "PERSON_EXISTS"    // R-PERSON-KNOWN (harness registry loads)
	CodeAgreementVoid  = "AGREEMENT_VOID"   // R-AGREEMENT-30 (harness verifyAgreement, CPAS consultCarmedAtAgreementDate)
	CodeAgreementParty = "AGREEMENT_PARTY"  // R-CONSULT-AT-AGREEMENT

	// Urgent medical aid attestations, eHealth UMA v1 (rules.md §10). An unknown, replaced or
	// malformed SSIN and an end before the start keep their codes (PERSON_UNKNOWN, PERSON_REPLACED,
	// SSIN_INVALID, PERIOD_INVERTED).
	CodeUMANotDoctor = "UMA_NOT_DOCTOR" // R-UMA-SEND
	CodeUMAAuthor    = "UMA_AUTHOR"     // R-UMA-SEND (send and delete)
	CodeUMANoStart   = "UMA_NO_START"   // R-UMA-SEND (send and search)
	CodeUMACriteria  = "UMA_CRITERIA"   // R-UMA-SEARCH
	CodeUMAUnknown   = "UMA_UNKNOWN"    // R-UMA-DELETE
	CodeUMANotAuthor = "UMA_NOT_AUTHOR" // R-UMA-DELETE
	// What a suspended decision allows next, per cause of the suspension to handle first
	// (R-MUT-ORDER): answered to a modify or a reactivation the suspension does not allow.
	CodeSuspRefund  = "SUSP_REFUND"  // R-MUT-ORDER: refund code → stop at one date (or close)
	CodeSuspDeath   = "SUSP_DEATH"   // R-MUT-ORDER: death → stop in death … death + 5 (or close)
	CodeSuspOverlap = "SUSP_OVERLAP" // R-MUT-ORDER: SSIN overlap → reactivate (or close)
	// The CAAMI back office: tarification, invoice controls, payment, statements (rules.md §11, §12).
	CodeTariffUnknown   = "TARIFF_UNKNOWN"   // R-TARIFF
	CodeAmountsDiffer   = "AMOUNTS_DIFFER"   // R-TARIFF
	CodeCPASConditional = "CPAS_CONDITIONAL" // R-TARIFF (WARNING: a PARTIAL share the CAAMI cannot compute)
	CodeLineNoPatient   = "LINE_NO_PATIENT"  // R-CAAMI-PATIENT
	CodeCareFuture      = "CARE_FUTURE"      // R-CAAMI-PERIOD
	CodeCareUncovered   = "CARE_UNCOVERED"   // R-CAAMI-PERIOD
	CodeUMAMissing      = "UMA_MISSING"      // R-CAAMI-UMA
	CodeCareTypeNoCov   = "CARE_TYPE_NOCOV"  // R-CAAMI-CARE-TYPE
	CodeProviderKind    = "PROVIDER_KIND"    // R-CAAMI-CARE-TYPE
	CodeRefundMismatch  = "REFUND_MISMATCH"  // R-CAAMI-COVER-CODE
	CodeNotDesignated   = "NOT_DESIGNATED"   // R-CAAMI-PROVIDER
	CodeAgreementForged = "AGREEMENT_FORGED" // R-CAAMI-AGREEMENT
	CodeAgreementOther  = "AGREEMENT_OTHER"  // R-CAAMI-AGREEMENT
	CodeAgreementWindow = "AGREEMENT_WINDOW" // R-CAAMI-AGREEMENT
	CodeCPASSplit       = "CPAS_SPLIT"       // R-INVOICE-SPLIT
	CodeCareTooOld      = "CARE_TOO_OLD"     // R-INVOICE-2Y
	CodeLinePaid        = "LINE_PAID"        // R-INVOICE-ONCE
	CodeLineTwice       = "LINE_TWICE"       // R-INVOICE-ONCE
	CodeGPException     = "GP_EXCEPTION"     // R-GP-ROUTE
	CodeMonthOpen       = "MONTH_OPEN"       // R-DECOMPTE, R-DECOMPTE-SPP
	CodeNIHIIMismatch   = "NIHII_MISMATCH"   // R-CBE for a provider: the customer named is not the signer
)

// CodeText is one entry of the reason-code catalogue.
type CodeText struct {
	Code      string
	Rule      string // rule id in rules.md
	Fr, Nl    string // for a CPAS social worker: what was refused, why, what to do
	Technical bool   // answered as a SOAP Fault, not a NO_RESULT status (R-SSIN)
}

// catalogue holds every reason code with its texts. Texts never carry personal data:
// the data needed to act travels in the message's Info pairs.
var catalogue = []CodeText{
	{Code: CodeAgreementVoid, Rule: "R-AGREEMENT-30",
		Fr: "Ce numéro d'engagement de paiement n'est pas valable : il est mal formé, a été modifié, ou a été émis avec une clé qui n'est plus acceptée (raison indiquée). Aucun engagement ne peut en être déduit.",
		Nl: "Dit nummer van betalingsverbintenis is niet geldig: het is misvormd, werd gewijzigd, of werd uitgegeven met een sleutel die niet meer aanvaard wordt (vermelde reden). Er kan geen verbintenis uit worden afgeleid."},
	{Code: CodeAgreementParty, Rule: "R-CONSULT-AT-AGREEMENT",
		Fr: "Seuls le CPAS qui gère la décision et le prestataire à qui ce numéro d'engagement de paiement a été donné peuvent consulter ce qu'il garantit. Adressez-vous au CPAS gestionnaire.",
		Nl: "Alleen het OCMW dat de beslissing beheert en de zorgverstrekker aan wie dit nummer van betalingsverbintenis gegeven werd, kunnen raadplegen wat het waarborgt. Wend u tot het beherende OCMW."},
	{Code: CodePersonReplaced, Rule: "R-MUT-SSIN",
		Fr: "Ce NISS a été remplacé dans le registre (par exemple un numéro BIS devenu numéro national, ou une fusion) : ses décisions ont été déplacées vers le nouveau NISS indiqué. Utilisez le nouveau NISS.",
		Nl: "Dit INSZ werd in het register vervangen (bijvoorbeeld een BIS-nummer dat een rijksregisternummer werd, of een fusie): de beslissingen werden naar het vermelde nieuwe INSZ verplaatst. Gebruik het nieuwe INSZ."},
	{Code: CodeNewSSINInvalid, Rule: "R-MUT-SSIN",
		Fr: "Le nouveau NISS de la mutation n'est pas valable (11 chiffres avec chiffre de contrôle) ou a lui-même été remplacé. Corrigez le nouveau NISS.",
		Nl: "Het nieuwe INSZ van de mutatie is niet geldig (11 cijfers met controlegetal) of werd zelf vervangen. Verbeter het nieuwe INSZ."},
	{Code: CodeSSINSame, Rule: "R-MUT-SSIN",
		Fr: "Le nouveau NISS de la mutation est identique à l'ancien : il n'y a rien à changer.",
		Nl: "Het nieuwe INSZ van de mutatie is gelijk aan het oude: er valt niets te wijzigen."},
	{Code: CodeNameInvalid, Rule: "R-MUT-NAME",
		Fr: "La mutation de nom doit indiquer au moins le nom de famille.",
		Nl: "De naamsmutatie moet minstens de familienaam vermelden."},
	{Code: CodeMajorInvalid, Rule: "R-MUT-MAJOR",
		Fr: "La mutation de sexe ou de date de naissance n'est pas valable (sexe M ou F ; date de naissance au plus tard aujourd'hui et avant un décès connu). Corrigez la donnée indiquée.",
		Nl: "De mutatie van geslacht of geboortedatum is niet geldig (geslacht M of F; geboortedatum uiterlijk vandaag en vóór een gekend overlijden). Verbeter het vermelde gegeven."},
	{Code: CodeDeathInvalid, Rule: "R-MUT-DEATH",
		Fr: "La mutation de décès n'est pas valable : la date du décès ne peut être dans le futur ni avant la naissance, et un décès déjà enregistré ne peut être enregistré une seconde fois.",
		Nl: "De overlijdensmutatie is niet geldig: de overlijdensdatum kan niet in de toekomst of vóór de geboorte liggen, en een al geregistreerd overlijden kan geen tweede keer geregistreerd worden."},
	{Code: CodeSituationBad, Rule: "R-MUT-REFUND",
		Fr: "La nouvelle situation de séjour ou d'assurabilité n'est pas reconnue (type inconnu ou code INS de résidence qui n'a pas 5 chiffres).",
		Nl: "De nieuwe verblijfs- of verzekerbaarheidssituatie wordt niet herkend (onbekend type of NIS-code van de verblijfplaats die geen 5 cijfers telt)."},
	{Code: CodeMutationKind, Rule: "R-MUT-ORDER", Technical: true,
		Fr: "Type de mutation inconnu.",
		Nl: "Onbekend mutatietype."},
	{Code: CodeActivateOrder, Rule: "R-MUT-ORDER",
		Fr: "Cette décision a deux suspensions à traiter : d'abord celle suite à un changement de code de remboursement ou à un décès (date et motif indiqués), par un arrêt à une date entre les dates d'arrêt indiquées ; ensuite seulement la suspension pour chevauchement, par une réactivation.",
		Nl: "Deze beslissing heeft twee schorsingen te behandelen: eerst die na een wijziging van de terugbetalingscode of een overlijden (vermelde datum en reden), met een stopzetting op een datum tussen de vermelde stopzettingsdata; pas daarna de schorsing wegens overlapping, met een heractivering."},
	{Code: CodeSuspRefund, Rule: "R-MUT-ORDER",
		Fr: "Cette décision est suspendue depuis la date indiquée suite à un changement de code de remboursement : elle ne peut plus être modifiée ni réactivée. Seul un arrêt à la date d'arrêt indiquée traite cette suspension (la veille de la suspension, ou la date de début si la suspension la précède) ; tant que la décision n'a pas débuté, elle peut aussi être annulée (actions permises indiquées). Créez ensuite une nouvelle décision si nécessaire.",
		Nl: "Deze beslissing is geschorst sinds de vermelde datum na een wijziging van de terugbetalingscode: ze kan niet meer gewijzigd of opnieuw geactiveerd worden. Enkel een stopzetting op de vermelde stopzettingsdatum behandelt deze schorsing (de dag vóór de schorsing, of de begindatum als de schorsing eraan voorafgaat); zolang de beslissing niet begonnen is, kan ze ook geannuleerd worden (vermelde toegelaten acties). Maak daarna zo nodig een nieuwe beslissing."},
	{Code: CodeSuspDeath, Rule: "R-MUT-ORDER",
		Fr: "Cette décision est suspendue suite au décès du bénéficiaire (date de suspension indiquée) : elle ne peut plus être modifiée ni réactivée. Seul un arrêt à une date entre les dates d'arrêt indiquées traite cette suspension (de la date du décès au décès + 5 jours, dans la période de la décision) ; tant que la décision n'a pas débuté, elle peut aussi être annulée (actions permises indiquées).",
		Nl: "Deze beslissing is geschorst na het overlijden van de begunstigde (vermelde schorsingsdatum): ze kan niet meer gewijzigd of opnieuw geactiveerd worden. Enkel een stopzetting op een datum tussen de vermelde stopzettingsdata behandelt deze schorsing (van de overlijdensdatum tot overlijden + 5 dagen, binnen de periode van de beslissing); zolang de beslissing niet begonnen is, kan ze ook geannuleerd worden (vermelde toegelaten acties)."},
	{Code: CodeSuspOverlap, Rule: "R-MUT-ORDER",
		Fr: "Cette décision est suspendue depuis la date indiquée pour chevauchement avec une autre décision après un changement de NISS : elle ne peut plus être modifiée ni arrêtée. Réactivez-la (modification avec l'action ACTIVATE), en gardant ou en adaptant sa période de validité (dates actuelles indiquées) pour supprimer le chevauchement ; tant que la décision n'a pas débuté, elle peut aussi être annulée (actions permises indiquées).",
		Nl: "Deze beslissing is geschorst sinds de vermelde datum wegens overlapping met een andere beslissing na een wijziging van het INSZ: ze kan niet meer gewijzigd of stopgezet worden. Heractiveer ze (wijziging met de actie ACTIVATE), met behoud of aanpassing van haar geldigheidsperiode (vermelde huidige data) om de overlapping weg te werken; zolang de beslissing niet begonnen is, kan ze ook geannuleerd worden (vermelde toegelaten acties)."},
	{Code: CodeStopOverlap, Rule: "R-MUT-ORDER",
		Fr: "Cette décision est suspendue pour chevauchement après un changement de NISS : cette suspension se traite par une réactivation (modification avec l'action ACTIVATE), éventuellement en raccourcissant la période, ou par une annulation si la décision est entièrement dans le futur.",
		Nl: "Deze beslissing is geschorst wegens overlapping na een wijziging van het INSZ: die schorsing wordt behandeld met een heractivering (wijziging met de actie ACTIVATE), eventueel met een kortere periode, of met een annulering als de beslissing volledig in de toekomst ligt."},
	{Code: CodeReactShorten, Rule: "R-REACTIVATE",
		Fr: "La première décision réactivée après un chevauchement ne peut pas être raccourcie : gardez ou prolongez sa période de validité (dates indiquées). Les décisions réactivées ensuite pourront être raccourcies pour supprimer le chevauchement.",
		Nl: "De eerste beslissing die na een overlapping opnieuw geactiveerd wordt, kan niet ingekort worden: behoud of verleng haar geldigheidsperiode (vermelde data). De daarna geactiveerde beslissingen kunnen ingekort worden om de overlapping weg te werken."},
	{Code: CodeReactGap, Rule: "R-REACTIVATE",
		Fr: "Cette réactivation laisserait sans couverture un jour qui était couvert (date indiquée) : raccourcissez la décision seulement sur les jours couverts par une décision active.",
		Nl: "Deze heractivering zou een dag die gedekt was zonder dekking laten (vermelde datum): kort de beslissing enkel in op dagen die door een actieve beslissing gedekt zijn."},
	{Code: CodeNoticeUnknown, Rule: "R-NOTICE",
		Fr: "L'accusé de réception porte sur une notification inconnue ou adressée à un autre CPAS (identifiant indiqué) ; aucune notification n'a été marquée comme traitée.",
		Nl: "De ontvangstbevestiging betreft een onbekende of aan een ander OCMW gerichte melding (vermelde identificatie); geen enkele melding werd als behandeld gemarkeerd."},
	{Code: CodePersonExists, Rule: "R-PERSON-KNOWN",
		Fr: "Cette personne est déjà dans le registre avec d'autres données : le registre ne change que par des mutations.",
		Nl: "Deze persoon staat al met andere gegevens in het register: het register wijzigt enkel via mutaties."},
	{Code: CodeSSINInvalid, Rule: "R-SSIN", Technical: true,
		Fr: "Erreur technique : le numéro NISS introduit est incorrect (11 chiffres avec un nombre de contrôle valide). Vérifiez le numéro de registre national ou le numéro bis, puis renvoyez la demande.",
		Nl: "Technische fout: het ingevoerde INSZ-nummer is onjuist (11 cijfers met een geldig controlegetal). Controleer het rijksregisternummer of het bisnummer en verstuur de aanvraag opnieuw."},
	{Code: CodeCBEInvalid, Rule: "R-CBE",
		Fr: "Le numéro BCE du CPAS est incorrect (10 chiffres commençant par 0 ou 1, avec un nombre de contrôle valide). Corrigez le numéro d'entreprise dans la demande.",
		Nl: "Het KBO-nummer van het OCMW is onjuist (10 cijfers, beginnend met 0 of 1, met een geldig controlegetal). Verbeter het ondernemingsnummer in de aanvraag."},
	{Code: CodeCBEMismatch, Rule: "R-CBE",
		Fr: "Le numéro BCE du CPAS indiqué dans la demande ne correspond pas au certificat qui a signé le message. Envoyez la demande avec le numéro BCE de votre propre CPAS.",
		Nl: "Het KBO-nummer van het OCMW in de aanvraag stemt niet overeen met het certificaat waarmee het bericht ondertekend werd. Verstuur de aanvraag met het KBO-nummer van uw eigen OCMW."},
	{Code: CodePersonUnknown, Rule: "R-PERSON-KNOWN",
		Fr: "Le bénéficiaire n'est connu ni du Registre national ni du registre bis. Vérifiez le NISS ; si la personne n'a pas encore de numéro, faites d'abord créer un numéro bis via la BCSS.",
		Nl: "De begunstigde is niet gekend in het Rijksregister noch in het bisregister. Controleer het INSZ; heeft de persoon nog geen nummer, laat dan eerst een bisnummer aanmaken via de KSZ."},
	{Code: CodeGenderMissing, Rule: "R-GENDER",
		Fr: "Le code genre du bénéficiaire est absent du registre : la décision ne peut pas être enregistrée. Faites compléter le genre dans le registre bis (via la BCSS), puis renvoyez la demande.",
		Nl: "Het geslacht van de begunstigde ontbreekt in het register: de beslissing kan niet worden geregistreerd. Laat het geslacht aanvullen in het bisregister (via de KSZ) en verstuur de aanvraag opnieuw."},
	{Code: CodeFedasilHoused, Rule: "R-FEDASIL",
		Fr: "Pendant la période demandée (à partir de la date indiquée), le bénéficiaire est hébergé dans une structure d'accueil de Fedasil : ses frais médicaux sont à charge de Fedasil et le CPAS ne peut pas prendre de décision pour ces jours. Limitez la période aux jours où la personne n'est pas hébergée par Fedasil (dates indiquées).",
		Nl: "Tijdens de gevraagde periode (vanaf de vermelde datum) verblijft de begunstigde in een opvangstructuur van Fedasil: de medische kosten zijn ten laste van Fedasil en het OCMW kan voor die dagen geen beslissing nemen. Beperk de periode tot de dagen waarop de persoon niet door Fedasil wordt opgevangen (vermelde data)."},
	{Code: CodeDateMissing, Rule: "R-DATES",
		Fr: "Une date obligatoire manque (champ indiqué). Complétez la date de décision et les dates de début et de fin, puis renvoyez la demande.",
		Nl: "Een verplichte datum ontbreekt (vermeld veld). Vul de beslissingsdatum en de begin- en einddatum aan en verstuur de aanvraag opnieuw."},
	{Code: CodeProviderPeriod, Rule: "R-CONSULT-PROVIDER",
		Fr: "La période consultée dépasse 30 jours. Consultez par date de référence ou par période de 30 jours au plus.",
		Nl: "De geraadpleegde periode is langer dan 30 dagen. Raadpleeg per referentiedatum of per periode van hoogstens 30 dagen."},
	{Code: CodePeriodInverted, Rule: "R-DATES",
		Fr: "La date de début est postérieure à la date de fin. Corrigez la période demandée.",
		Nl: "De begindatum valt na de einddatum. Verbeter de gevraagde periode."},
	{Code: CodeCoverInverted, Rule: "R-DATES",
		Fr: "La date de début de la couverture indiquée est postérieure à sa date de fin. Corrigez la période de cette couverture.",
		Nl: "De begindatum van de vermelde dekking valt na de einddatum ervan. Verbeter de periode van deze dekking."},
	{Code: CodePeriodTooLong, Rule: "R-MAX-12M",
		Fr: "La période de validité dépasse 12 mois. Une décision vaut au maximum un an, la durée de l'enquête sociale : choisissez une date de fin au plus tard à la date indiquée, puis prenez une nouvelle décision après une nouvelle enquête sociale.",
		Nl: "De geldigheidsperiode is langer dan 12 maanden. Een beslissing geldt hoogstens één jaar, de duur van het sociaal onderzoek: kies een einddatum uiterlijk op de vermelde datum en neem na een nieuw sociaal onderzoek een nieuwe beslissing."},
	{Code: CodeStartTooEarly, Rule: "R-RETRO-60",
		Fr: "La date de début précède de plus de 60 jours la date de décision : l'État ne prend pas ces frais en charge. Choisissez une date de début à partir de la date indiquée, cochez « décision judiciaire » si la décision suit un jugement, ou créez pour la période antérieure une décision distincte « hors remboursement par l'État ».",
		Nl: "De begindatum ligt meer dan 60 dagen vóór de beslissingsdatum: de Staat neemt deze kosten niet ten laste. Kies een begindatum vanaf de vermelde datum, vink « gerechtelijke beslissing » aan als de beslissing op een vonnis volgt, of maak voor de voorafgaande periode een afzonderlijke beslissing « zonder terugbetaling door de Staat »."},
	{Code: CodeOverlapOwnCPAS, Rule: "R-OVERLAP",
		Fr: "Une décision de prise en charge médicale pour ce bénéficiaire est déjà active au sein de votre CPAS pendant cette période. Veuillez modifier la décision existante (numéro et version indiqués) : il ne peut pas y avoir plus d'une décision active en même temps pour un même bénéficiaire.",
		Nl: "Voor deze begunstigde bestaat in uw OCMW al een actieve beslissing medische kosten tijdens deze periode. Wijzig de bestaande beslissing (vermeld nummer en versie): er kan voor eenzelfde begunstigde niet meer dan één actieve beslissing tegelijk bestaan."},
	{Code: CodeOverlapOther, Rule: "R-OVERLAP",
		Fr: "Un autre CPAS (indiqué) a déjà une décision pour ce bénéficiaire pendant cette période. Deux décisions pour la même personne et la même période ne sont pas permises : contactez ce CPAS ; vous ne pourrez intervenir qu'après la fin de sa décision.",
		Nl: "Een ander OCMW (vermeld) heeft voor deze begunstigde al een beslissing tijdens deze periode. Twee beslissingen voor dezelfde persoon en dezelfde periode zijn niet toegestaan: neem contact op met dat OCMW; u kunt pas tussenkomen nadat zijn beslissing beëindigd is."},
	{Code: CodeCoverOutside, Rule: "R-COVER-IN-DECISION",
		Fr: "La période de la couverture indiquée sort de la période de validité de la décision. Placez la couverture entre la date de début et la date de fin de la décision, ou adaptez d'abord la période de la décision.",
		Nl: "De periode van de vermelde dekking valt buiten de geldigheidsperiode van de beslissing. Plaats de dekking tussen de begin- en einddatum van de beslissing, of pas eerst de periode van de beslissing aan."},
	{Code: CodeCoverDuplicate, Rule: "R-COVER-CONTIGUOUS",
		Fr: "La catégorie de soins indiquée figure plusieurs fois dans la demande. Une décision ne contient qu'une période par catégorie : fusionnez les périodes, ou créez une nouvelle décision pour une période qui ne suit pas.",
		Nl: "De vermelde zorgcategorie komt meermaals voor in de aanvraag. Een beslissing bevat één periode per categorie: voeg de periodes samen, of maak een nieuwe beslissing voor een periode die er niet op aansluit."},
	{Code: CodeNoSituation, Rule: "R-STATE-PART",
		Fr: "La situation du bénéficiaire (séjour, assurabilité) n'est pas connue à la date de début : le code de remboursement ne peut pas être déterminé. Vérifiez la date de début ou la situation de la personne au registre.",
		Nl: "De situatie van de begunstigde (verblijf, verzekerbaarheid) is niet gekend op de begindatum: de terugbetalingscode kan niet bepaald worden. Controleer de begindatum of de situatie van de persoon in het register."},
	{Code: CodeRefundUnknown, Rule: "R-STATE-PART",
		Fr: "Aucun code de remboursement ne correspond à la situation du bénéficiaire à la date de début. Contactez le service d'assistance MediPrima.",
		Nl: "Geen enkele terugbetalingscode stemt overeen met de situatie van de begunstigde op de begindatum. Neem contact op met de helpdesk van MediPrima."},
	{Code: CodeNotManager, Rule: "R-MANAGER",
		Fr: "Seul le CPAS gestionnaire (indiqué) peut consulter le détail de cette décision, la modifier, l'arrêter ou l'annuler. Contactez ce CPAS si une adaptation est nécessaire.",
		Nl: "Alleen het beherende OCMW (vermeld) kan de details van deze beslissing raadplegen, ze wijzigen, stopzetten of annuleren. Neem contact op met dat OCMW als een aanpassing nodig is."},
	{Code: CodeDecisionUnknown, Rule: "R-MANAGER",
		Fr: "Aucune décision ne porte le numéro indiqué. Vérifiez le numéro de décision (12 chiffres) ou recherchez la décision par NISS et date.",
		Nl: "Er bestaat geen beslissing met het vermelde nummer. Controleer het beslissingsnummer (12 cijfers) of zoek de beslissing op via INSZ en datum."},
	{Code: CodeVersionConflict, Rule: "R-VERSIONING",
		Fr: "La décision a été modifiée depuis la version sur laquelle porte votre demande (version actuelle indiquée). Consultez la dernière version, vérifiez les changements, puis renvoyez votre demande sur cette version.",
		Nl: "De beslissing werd gewijzigd sinds de versie waarop uw aanvraag betrekking heeft (huidige versie vermeld). Raadpleeg de laatste versie, controleer de wijzigingen en verstuur uw aanvraag opnieuw op basis van die versie."},
	{Code: CodeVersionUnknown, Rule: "R-CONSULT-CPAS",
		Fr: "Cette version de la décision n'existe pas (dernière version indiquée). Demandez une version existante, ou la dernière version.",
		Nl: "Deze versie van de beslissing bestaat niet (laatste versie vermeld). Vraag een bestaande versie op, of de laatste versie."},
	{Code: CodeStopRetro, Rule: "R-STOP",
		Fr: "La date d'arrêt est antérieure à la date du jour. Une décision ne peut pas être arrêtée de manière rétroactive : choisissez une date d'arrêt égale ou postérieure à aujourd'hui.",
		Nl: "De stopzettingsdatum ligt vóór vandaag. Een beslissing kan niet met terugwerkende kracht worden stopgezet: kies een stopzettingsdatum vanaf vandaag."},
	{Code: CodeStopOutside, Rule: "R-STOP",
		Fr: "La date d'arrêt sort de la période de validité de la décision (dates indiquées). Choisissez une date d'arrêt entre le début et la fin de la décision ; une décision échue ne doit pas être arrêtée.",
		Nl: "De stopzettingsdatum valt buiten de geldigheidsperiode van de beslissing (vermelde data). Kies een stopzettingsdatum tussen het begin en het einde van de beslissing; een vervallen beslissing hoeft niet te worden stopgezet."},
	{Code: CodeCloseStarted, Rule: "R-CLOSE",
		Fr: "La décision a déjà pris effet (date de début indiquée) : elle ne peut plus être annulée. Arrêtez-la à partir d'aujourd'hui, ou annulez ses couvertures futures par une modification.",
		Nl: "De beslissing is al ingegaan (vermelde begindatum): ze kan niet meer geannuleerd worden. Zet ze stop vanaf vandaag, of annuleer de toekomstige dekkingen via een wijziging."},
	{Code: CodeCloseStatus, Rule: "R-CLOSE",
		Fr: "Seule une décision active ou suspendue peut être annulée ; cette décision a le statut indiqué.",
		Nl: "Alleen een actieve of geschorste beslissing kan geannuleerd worden; deze beslissing heeft de vermelde status."},
	{Code: CodeDecisionClosed, Rule: "R-CLOSE",
		Fr: "Cette décision a été annulée : elle ne donne aucun droit et ne peut plus être arrêtée. Créez une nouvelle décision si nécessaire.",
		Nl: "Deze beslissing werd geannuleerd: ze geeft geen rechten en kan niet meer worden stopgezet. Maak indien nodig een nieuwe beslissing."},
	{Code: CodeNoRevival, Rule: "R-NO-REVIVAL",
		Fr: "Cette décision a été arrêtée ou annulée (statut et date de fin indiqués) : elle ne peut plus être remise en vigueur ni prolongée. Créez une nouvelle décision pour la nouvelle période. (Une décision simplement arrivée à échéance, sans arrêt, se prolonge par une modification qui garde sa date de début.)",
		Nl: "Deze beslissing werd stopgezet of geannuleerd (vermelde status en einddatum): ze kan niet opnieuw in werking treden of verlengd worden. Maak een nieuwe beslissing voor de nieuwe periode. (Een beslissing die gewoon vervallen is, zonder stopzetting, wordt verlengd met een wijziging die haar begindatum behoudt.)"},
	{Code: CodeSuspendedFrozen, Rule: "R-SUSPENDED-FROZEN",
		Fr: "Cette décision est suspendue (date et motif indiqués) et ne peut plus être modifiée. Réactivez-la, arrêtez-la ou annulez-la, puis créez une nouvelle décision si nécessaire.",
		Nl: "Deze beslissing is geschorst (vermelde datum en reden) en kan niet meer gewijzigd worden. Heractiveer, stop of annuleer ze en maak zo nodig een nieuwe beslissing."},
	{Code: CodeNotSuspended, Rule: "R-REACTIVATE",
		Fr: "Seule une décision suspendue peut être réactivée ; cette décision a le statut indiqué. Utilisez l'action de modification.",
		Nl: "Alleen een geschorste beslissing kan opnieuw geactiveerd worden; deze beslissing heeft de vermelde status. Gebruik de actie wijzigen."},
	{Code: CodeActionInvalid, Rule: "R-REACTIVATE",
		Fr: "L'action demandée n'est pas reconnue : utilisez MODIFY pour modifier la décision ou ACTIVATE pour réactiver une décision suspendue.",
		Nl: "De gevraagde actie is niet gekend: gebruik MODIFY om de beslissing te wijzigen of ACTIVATE om een geschorste beslissing opnieuw te activeren."},
	{Code: CodeTicketReused, Rule: "R-IDEMPOTENT",
		Fr: "Le ticket indiqué a déjà été utilisé pour une autre demande. Chaque nouvelle demande doit porter un ticket unique ; ne réutilisez un ticket que pour renvoyer exactement la même demande.",
		Nl: "Het vermelde ticket werd al gebruikt voor een andere aanvraag. Elke nieuwe aanvraag moet een uniek ticket dragen; hergebruik een ticket enkel om precies dezelfde aanvraag opnieuw te versturen."},
	{Code: CodePersonMismatch, Rule: "R-ONE-PERSON",
		Fr: "Une décision concerne une seule personne : le bénéficiaire de la demande ne correspond pas à celui de la décision. Pour un autre membre de la famille, créez une décision distincte à son propre NISS.",
		Nl: "Een beslissing betreft één enkele persoon: de begunstigde van de aanvraag stemt niet overeen met die van de beslissing. Maak voor een ander gezinslid een afzonderlijke beslissing op zijn eigen INSZ."},
	{Code: CodeAfterDeath, Rule: "R-DEATH-5",
		Fr: "Le bénéficiaire est décédé (date indiquée) : une décision ne peut pas s'étendre au-delà de la date du décès + 5 jours. Choisissez une date de fin au plus tard à la date maximale indiquée.",
		Nl: "De begunstigde is overleden (vermelde datum): een beslissing kan niet verder lopen dan de overlijdensdatum + 5 dagen. Kies een einddatum uiterlijk op de vermelde maximumdatum."},
	{Code: CodeStatusChange, Rule: "R-STATUS-CHANGE",
		Fr: "Avertissement bloquant : la situation du bénéficiaire (séjour, assurabilité) change pendant la période demandée, à la date de changement indiquée, et le code de remboursement change avec elle. Enregistrez la décision jusqu'à la veille de cette date, puis prenez une nouvelle décision adaptée à la nouvelle situation.",
		Nl: "Blokkerende waarschuwing: de situatie van de begunstigde (verblijf, verzekerbaarheid) wijzigt tijdens de gevraagde periode, op de vermelde wijzigingsdatum, en de terugbetalingscode wijzigt mee. Registreer de beslissing tot de dag vóór die datum en neem daarna een nieuwe beslissing voor de nieuwe situatie."},
	{Code: CodeCoverTooLong, Rule: "R-COVER-92",
		Fr: "Pour une personne en séjour illégal (aide médicale urgente), une couverture dure au maximum 92 jours à compter de son début, et chaque prolongation ajoute au maximum 92 jours. Choisissez une date de fin de couverture au plus tard à la date maximale indiquée ; prolongez-la ensuite par une modification après réexamen.",
		Nl: "Voor een persoon in illegaal verblijf (dringende medische hulp) duurt een dekking hoogstens 92 dagen vanaf het begin, en elke verlenging voegt hoogstens 92 dagen toe. Kies een einddatum van de dekking uiterlijk op de vermelde maximumdatum; verleng ze daarna via een wijziging na een nieuw onderzoek."},
	{Code: CodeCoverDisjoint, Rule: "R-COVER-CONTIGUOUS",
		Fr: "La nouvelle période de la couverture indiquée ne suit pas la période déjà accordée : une décision ne contient qu'une seule période par catégorie de soins. Prolongez la période existante, ou créez une nouvelle décision pour la période qui ne suit pas.",
		Nl: "De nieuwe periode van de vermelde dekking sluit niet aan bij de al toegekende periode: een beslissing bevat slechts één periode per zorgcategorie. Verleng de bestaande periode, of maak een nieuwe beslissing voor de periode die er niet op aansluit."},
	{Code: CodeHospWithoutAmb, Rule: "R-HOSP-AMB",
		Fr: "Depuis le 01/02/2018, chaque couverture hospitalisation doit être accompagnée d'une couverture soins ambulatoires pour au moins la même période. Ajoutez ou prolongez la couverture soins ambulatoires (période indiquée).",
		Nl: "Sinds 01/02/2018 moet elke dekking ziekenhuisopname vergezeld gaan van een dekking ambulante zorg voor minstens dezelfde periode. Voeg de dekking ambulante zorg toe of verleng ze (vermelde periode)."},
	{Code: CodeAmbWithoutHosp, Rule: "R-HOSP-AMB",
		Fr: "Depuis le 29/01/2021, chaque couverture soins ambulatoires doit être accompagnée d'une couverture hospitalisation pour au moins la même période. Ajoutez ou prolongez la couverture hospitalisation (période indiquée).",
		Nl: "Sinds 29/01/2021 moet elke dekking ambulante zorg vergezeld gaan van een dekking ziekenhuisopname voor minstens dezelfde periode. Voeg de dekking ziekenhuisopname toe of verleng ze (vermelde periode)."},
	{Code: CodeShareInvalid, Rule: "R-CPAS-PART",
		Fr: "La prise en charge du CPAS pour la part indiquée doit être « rien » (NOTHING), « partiel » (PARTIAL) ou « tout » (FULL). Corrigez la valeur.",
		Nl: "De tenlasteneming door het OCMW voor het vermelde deel moet « niets » (NOTHING), « gedeeltelijk » (PARTIAL) of « alles » (FULL) zijn. Verbeter de waarde."},
	{Code: CodeShareStatePaid, Rule: "R-CPAS-PART",
		Fr: "L'État (SPP IS) prend déjà cette part en charge à 100 % pour ce type de soins (pourcentage et code de remboursement indiqués) : le CPAS ne peut pas la prendre « tout » à sa charge. Choisissez « rien » pour cette part ; l'intervention du CPAS reste résiduaire.",
		Nl: "De Staat (POD MI) neemt dit deel al voor 100 % ten laste voor dit zorgtype (vermeld percentage en terugbetalingscode): het OCMW kan het niet « volledig » ten laste nemen. Kies « niets » voor dit deel; de tussenkomst van het OCMW blijft residuair."},
	{Code: CodeAmiPartial, Rule: "R-CPAS-PART",
		Fr: "Le CPAS prend en charge la part AMI entièrement ou pas du tout : choisissez « rien » (NOTHING) ou « tout » (FULL) pour la part AMI. Une prise en charge partielle n'est possible que pour la part personnelle et les suppléments.",
		Nl: "Het OCMW neemt het ZIV-deel volledig of helemaal niet ten laste: kies « niets » (NOTHING) of « alles » (FULL) voor het ZIV-deel. Een gedeeltelijke tenlasteneming kan enkel voor het persoonlijk aandeel en de supplementen."},
	{Code: CodeCommentNoPart, Rule: "R-COMMENTS",
		Fr: "Le commentaire structuré indiqué n'est permis que si la prise en charge correspondante du CPAS est « partiel ». Retirez ce commentaire, ou choisissez une prise en charge partielle pour cette part.",
		Nl: "De vermelde gestructureerde commentaar is enkel toegelaten als de overeenstemmende tenlasteneming door het OCMW « gedeeltelijk » is. Verwijder deze commentaar, of kies een gedeeltelijke tenlasteneming voor dit deel."},
	{Code: CodeCommentKind, Rule: "R-COMMENTS",
		Fr: "Les commentaires convention, prescription et types de suppléments n'existent que pour les couvertures hospitalisation et soins ambulatoires. Retirez ce commentaire de la couverture indiquée.",
		Nl: "De commentaren overeenkomst, voorschrift en soorten supplementen bestaan enkel voor de dekkingen ziekenhuisopname en ambulante zorg. Verwijder deze commentaar uit de vermelde dekking."},
	{Code: CodePartialNoCond, Rule: "R-COMMENTS",
		Fr: "Une prise en charge « partiel » doit préciser ses conditions dans au moins un commentaire structuré : montant maximum, convention, prescription ou types de suppléments. Complétez les conditions de la part indiquée, ou choisissez « tout » ou « rien ».",
		Nl: "Een « gedeeltelijke » tenlasteneming moet haar voorwaarden vermelden in minstens één gestructureerde commentaar: maximumbedrag, overeenkomst, voorschrift of soorten supplementen. Vul de voorwaarden van het vermelde deel aan, of kies « alles » of « niets »."},
	{Code: CodeAmountNegative, Rule: "R-COMMENTS",
		Fr: "Un montant maximum s'exprime en cents d'euro, par hospitalisation et par mois, et ne peut pas être négatif. Corrigez le montant indiqué.",
		Nl: "Een maximumbedrag wordt uitgedrukt in eurocent, per opname en per maand, en kan niet negatief zijn. Verbeter het vermelde bedrag."},
	{Code: CodeProviderInvalid, Rule: "R-NIHII",
		Fr: "Le numéro de prestataire indiqué n'a pas la forme attendue pour cette couverture : numéro INAMI d'établissement de soins (commençant par 710 ou 720) pour l'hospitalisation et les soins ambulatoires, numéro BCE pour le transport médical et les prothèses, numéro INAMI (8 ou 11 chiffres) pour les autres. Corrigez la liste des prestataires désignés.",
		Nl: "Het vermelde zorgverstrekkersnummer heeft niet de verwachte vorm voor deze dekking: RIZIV-nummer van een verzorgingsinstelling (beginnend met 710 of 720) voor ziekenhuisopname en ambulante zorg, KBO-nummer voor medisch vervoer en prothesen, RIZIV-nummer (8 of 11 cijfers) voor de andere. Verbeter de lijst van aangewezen zorgverstrekkers."},
	{Code: CodeNoProviderList, Rule: "R-PROVIDERS",
		Fr: "La couverture indiquée n'accepte pas de liste de prestataires désignés. Retirez la liste ; tous les prestataires pourront facturer ces soins.",
		Nl: "De vermelde dekking aanvaardt geen lijst van aangewezen zorgverstrekkers. Verwijder de lijst; alle zorgverstrekkers zullen deze zorg kunnen factureren."},
	{Code: CodeProviderTwice, Rule: "R-PROVIDERS",
		Fr: "Le prestataire indiqué figure deux fois dans la liste des prestataires désignés de cette couverture. Ne le mentionnez qu'une fois.",
		Nl: "De vermelde zorgverstrekker komt twee keer voor in de lijst van aangewezen zorgverstrekkers van deze dekking. Vermeld hem slechts één keer."},
	{Code: CodeStartLater, Rule: "R-NO-PAST-REDUCTION",
		Fr: "La date de début de la décision (date précédente indiquée) est antérieure ou égale à la date du jour : vous ne pouvez plus la reculer, uniquement l'avancer, afin de ne pas restreindre les droits du bénéficiaire dans le passé. Gardez la date de début et prolongez la date de fin, ou créez une nouvelle décision pour la nouvelle période.",
		Nl: "De begindatum van de beslissing (vermelde vorige datum) ligt niet na vandaag: u kunt hem niet meer later leggen, enkel vroeger, om de rechten van de begunstigde in het verleden niet te beperken. Behoud de begindatum en verleng de einddatum, of maak een nieuwe beslissing voor de nieuwe periode."},
	{Code: CodeEndTooEarly, Rule: "R-NO-PAST-REDUCTION",
		Fr: "La nouvelle date de fin de la décision retire des jours déjà passés ou le jour présent : une date de fin ne peut être avancée qu'à une date égale ou postérieure à la date minimale indiquée. Pour réduire les droits à partir d'aujourd'hui, arrêtez la décision.",
		Nl: "De nieuwe einddatum van de beslissing schrapt dagen in het verleden of vandaag: een einddatum kan enkel vervroegd worden tot een datum vanaf de vermelde minimumdatum. Zet de beslissing stop om de rechten vanaf vandaag te beperken."},
	{Code: CodeCoverRemoved, Rule: "R-NO-PAST-REDUCTION",
		Fr: "La couverture indiquée a déjà pris effet (date de début indiquée) : elle ne peut pas être supprimée. Gardez-la dans la demande ; vous pouvez seulement fixer sa fin à aujourd'hui ou plus tard.",
		Nl: "De vermelde dekking is al ingegaan (vermelde begindatum): ze kan niet geschrapt worden. Behoud ze in de aanvraag; u kunt enkel haar einde op vandaag of later leggen."},
	{Code: CodeCoverStartLate, Rule: "R-NO-PAST-REDUCTION",
		Fr: "La date de début de la couverture indiquée est antérieure ou égale à la date du jour : vous ne pouvez plus la reculer, uniquement l'avancer, afin de ne pas restreindre les droits du bénéficiaire.",
		Nl: "De begindatum van de vermelde dekking ligt niet na vandaag: u kunt hem niet meer later leggen, enkel vroeger, om de rechten van de begunstigde niet te beperken."},
	{Code: CodeCoverEndEarly, Rule: "R-NO-PAST-REDUCTION",
		Fr: "La nouvelle date de fin de la couverture indiquée retire des jours déjà passés ou le jour présent : elle ne peut être avancée qu'à une date égale ou postérieure à la date minimale indiquée.",
		Nl: "De nieuwe einddatum van de vermelde dekking schrapt dagen in het verleden of vandaag: hij kan enkel vervroegd worden tot een datum vanaf de vermelde minimumdatum."},
	{Code: CodeShareReduced, Rule: "R-NO-PAST-REDUCTION",
		Fr: "La prise en charge du CPAS pour la part indiquée diminue sur une couverture qui a déjà pris effet (date indiquée) : les droits ne peuvent pas être réduits dans le passé. Gardez la prise en charge précédente, ou arrêtez la décision et créez-en une nouvelle avec les nouvelles conditions.",
		Nl: "De tenlasteneming door het OCMW voor het vermelde deel daalt op een dekking die al ingegaan is (vermelde datum): rechten kunnen niet beperkt worden in het verleden. Behoud de vorige tenlasteneming, of zet de beslissing stop en maak een nieuwe met de nieuwe voorwaarden."},
	{Code: CodeAmountReduced, Rule: "R-NO-PAST-REDUCTION",
		Fr: "Le montant maximum indiqué diminue (ou apparaît) sur une couverture qui a déjà pris effet (date indiquée) : les droits ne peuvent pas être réduits dans le passé. Gardez le montant précédent ou augmentez-le.",
		Nl: "Het vermelde maximumbedrag daalt (of verschijnt) op een dekking die al ingegaan is (vermelde datum): rechten kunnen niet beperkt worden in het verleden. Behoud het vorige bedrag of verhoog het."},
	{Code: CodeConditionAdded, Rule: "R-NO-PAST-REDUCTION",
		Fr: "La condition indiquée (convention, prescription ou types de suppléments) restreint une couverture qui a déjà pris effet (date indiquée) : les droits ne peuvent pas être réduits dans le passé. Retirez cette nouvelle condition.",
		Nl: "De vermelde voorwaarde (overeenkomst, voorschrift of soorten supplementen) beperkt een dekking die al ingegaan is (vermelde datum): rechten kunnen niet beperkt worden in het verleden. Verwijder deze nieuwe voorwaarde."},
	{Code: CodeListIntroduced, Rule: "R-PROVIDER-LIST",
		Fr: "Une liste de prestataires désignés ne peut être ajoutée à une couverture sans liste que si cette couverture débute au plus tôt demain (date de début indiquée). Laissez la couverture ouverte à tous les prestataires, ou créez une nouvelle décision.",
		Nl: "Een lijst van aangewezen zorgverstrekkers kan enkel aan een dekking zonder lijst worden toegevoegd als die dekking ten vroegste morgen begint (vermelde begindatum). Laat de dekking open voor alle zorgverstrekkers, of maak een nieuwe beslissing."},
	{Code: CodeProviderRemoved, Rule: "R-PROVIDER-LIST",
		Fr: "Le prestataire indiqué ne peut être retiré de la liste que si la décision débute au plus tôt demain (date de début de la décision indiquée), même si la couverture n'a pas encore débuté. Vous pouvez ajouter des prestataires ou supprimer toute la liste, mais pas en retirer un.",
		Nl: "De vermelde zorgverstrekker kan enkel uit de lijst verwijderd worden als de beslissing ten vroegste morgen begint (vermelde begindatum van de beslissing), ook als de dekking nog niet begonnen is. U kunt zorgverstrekkers toevoegen of de hele lijst schrappen, maar er geen enkele verwijderen."},
	{Code: CodeRetroStopped, Rule: "R-EXPIRED-EXTEND",
		Fr: "Cette décision a été arrêtée avec effet rétroactif (date de fin indiquée) : elle ne peut plus jamais être prolongée. Vous pouvez encore compléter ses couvertures à l'intérieur de sa période ; pour une période ultérieure, créez une nouvelle décision.",
		Nl: "Deze beslissing werd met terugwerkende kracht stopgezet (vermelde einddatum): ze kan nooit meer verlengd worden. U kunt haar dekkingen binnen haar periode nog aanvullen; maak voor een latere periode een nieuwe beslissing."},
	{Code: CodeStopSuspDate, Rule: "R-STOP-SUSPENDED",
		Fr: "Une décision suspendue suite à un changement de code de remboursement ne peut être arrêtée qu'à la date d'arrêt indiquée : la veille de la (première) suspension, ou sa date de début si la suspension la précède (une décision d'un jour). Tant que cette suspension n'est pas traitée, aucune autre date d'arrêt, passée ou future, n'est possible.",
		Nl: "Een beslissing die geschorst werd na een wijziging van de terugbetalingscode kan enkel stopgezet worden op de vermelde stopzettingsdatum: de dag vóór de (eerste) schorsing, of haar begindatum als de schorsing eraan voorafgaat (een beslissing van één dag). Zolang deze schorsing niet behandeld is, is geen andere stopzettingsdatum mogelijk, in het verleden noch in de toekomst."},
	{Code: CodeStopDeathDate, Rule: "R-STOP-SUSPENDED",
		Fr: "Une décision suspendue suite à un décès ne peut être arrêtée qu'à une date entre les dates d'arrêt indiquées : de la date du décès au décès + 5 jours, dans la période de la décision. Tant que cette suspension n'est pas traitée, aucune autre date d'arrêt, passée ou future, n'est possible.",
		Nl: "Een beslissing die geschorst werd na een overlijden kan enkel stopgezet worden op een datum tussen de vermelde stopzettingsdata: van de overlijdensdatum tot overlijden + 5 dagen, binnen de periode van de beslissing. Zolang deze schorsing niet behandeld is, is geen andere stopzettingsdatum mogelijk, in het verleden noch in de toekomst."},
	{Code: CodeLateRegister, Rule: "R-DEADLINE-8",
		Fr: "Avertissement : la décision est enregistrée plus de 8 jours après la date de décision du Conseil. La décision est acceptée, mais les frais entre le 9e jour et la communication de la décision peuvent rester à charge du CPAS (contrôle par l'inspection du SPP IS).",
		Nl: "Waarschuwing: de beslissing wordt meer dan 8 dagen na de beslissingsdatum van de Raad geregistreerd. De beslissing wordt aanvaard, maar de kosten tussen de 9e dag en de mededeling van de beslissing kunnen ten laste van het OCMW blijven (controle door de inspectie van de POD MI)."},
	{Code: CodeUMANotDoctor, Rule: "R-UMA-SEND",
		Fr: "Seul un médecin ou un dentiste reconnu par l'INAMI peut envoyer une attestation d'aide médicale urgente. Le certificat qui a signé le message n'est pas celui d'un médecin ou d'un dentiste : faites établir l'attestation par le médecin ou le dentiste qui a prescrit les soins.",
		Nl: "Enkel een door het RIZIV erkende arts of tandarts kan een attest dringende medische hulp versturen. Het certificaat waarmee het bericht ondertekend werd, is niet dat van een arts of tandarts: laat het attest opmaken door de arts of tandarts die de zorg voorschreef."},
	{Code: CodeUMAAuthor, Rule: "R-UMA-SEND",
		Fr: "L'auteur indiqué dans la demande (Author) doit être le prestataire dont le certificat a signé le message : indiquez votre propre numéro INAMI comme auteur.",
		Nl: "De auteur in de aanvraag (Author) moet de zorgverstrekker zijn met wiens certificaat het bericht ondertekend werd: vermeld uw eigen RIZIV-nummer als auteur."},
	{Code: CodeUMANoStart, Rule: "R-UMA-SEND",
		Fr: "La date de début de la période est obligatoire. La date de fin peut être omise : l'attestation ne vaut alors que pour le jour de début.",
		Nl: "De begindatum van de periode is verplicht. De einddatum mag weggelaten worden: het attest geldt dan enkel voor de begindag."},
	{Code: CodeUMACriteria, Rule: "R-UMA-SEARCH",
		Fr: "Une recherche d'attestations d'aide médicale urgente donne le NISS du bénéficiaire et soit un numéro d'attestation, soit une période (éventuellement avec une couverture médicale), pas les deux ni aucun des deux.",
		Nl: "Een opzoeking van attesten dringende medische hulp vermeldt het INSZ van de begunstigde en ofwel een attestnummer, ofwel een periode (eventueel met een medische dekking), niet beide en niet geen van beide."},
	{Code: CodeUMAUnknown, Rule: "R-UMA-DELETE",
		Fr: "Aucune attestation d'aide médicale urgente en vigueur ne porte ce numéro pour ce bénéficiaire (elle n'existe pas ou a déjà été supprimée). Vérifiez le numéro et le NISS.",
		Nl: "Geen geldig attest dringende medische hulp draagt dit nummer voor deze begunstigde (het bestaat niet of werd al verwijderd). Controleer het nummer en het INSZ."},
	{Code: CodeUMANotAuthor, Rule: "R-UMA-DELETE",
		Fr: "Seul l'auteur d'une attestation d'aide médicale urgente peut la supprimer. Cette attestation a été envoyée par un autre prestataire : demandez-lui de la supprimer.",
		Nl: "Enkel de auteur van een attest dringende medische hulp kan het verwijderen. Dit attest werd door een andere zorgverstrekker verstuurd: vraag hem het te verwijderen."},
	{Code: CodeTariffUnknown, Rule: "R-TARIFF",
		Fr: "Le code de nomenclature indiqué n'est pas dans le tarif pour ce type de soins (code et type de soins indiqués). Vérifiez le code de la prestation et le type de soins de la ligne.",
		Nl: "De vermelde nomenclatuurcode staat niet in het tarief voor dit zorgtype (vermelde code en zorgtype). Controleer de code van de verstrekking en het zorgtype van de lijn."},
	{Code: CodeAmountsDiffer, Rule: "R-TARIFF",
		Fr: "Les montants de la ligne ne correspondent pas au tarif : les honoraires doivent être la somme de la part AMI et de la part personnelle, aux montants du tarif indiqués (en cents d'euro). Corrigez les montants et renvoyez la ligne dans un nouvel envoi.",
		Nl: "De bedragen van de lijn stemmen niet overeen met het tarief: het honorarium moet de som zijn van het ZIV-deel en het persoonlijk aandeel, tegen de vermelde tariefbedragen (in eurocent). Verbeter de bedragen en stuur de lijn opnieuw in een nieuwe zending."},
	{Code: CodeCPASConditional, Rule: "R-TARIFF",
		Fr: "Avertissement : la prise en charge partielle du CPAS pour ce type de soins dépend d'une convention, d'une prescription ou de types de suppléments que la CAAMI ne peut pas calculer. La part du CPAS indiquée ne la comprend pas : vérifiez la décision et facturez le solde au CPAS ou au patient.",
		Nl: "Waarschuwing: de gedeeltelijke tenlasteneming door het OCMW voor dit zorgtype hangt af van een overeenkomst, een voorschrift of soorten supplementen die de HZIV niet kan berekenen. Het vermelde OCMW-deel bevat ze niet: controleer de beslissing en factureer het saldo aan het OCMW of aan de patiënt."},
	{Code: CodeLineNoPatient, Rule: "R-CAAMI-PATIENT",
		Fr: "Le bénéficiaire de cette facture n'est pas connu dans les décisions électroniques MediPrima. Vérifiez le NISS, consultez MediPrima, ou facturez en dehors de MediPrima.",
		Nl: "De begunstigde van deze factuur is niet gekend in de elektronische MediPrima-beslissingen. Controleer het INSZ, raadpleeg MediPrima, of factureer buiten MediPrima."},
	{Code: CodeCareFuture, Rule: "R-CAAMI-PERIOD",
		Fr: "La date de la prestation est postérieure à la date du jour (dates indiquées) : on ne facture que des soins déjà dispensés. Corrigez la date de la prestation.",
		Nl: "De datum van de verstrekking ligt na vandaag (vermelde data): enkel reeds verstrekte zorg wordt gefactureerd. Verbeter de datum van de verstrekking."},
	{Code: CodeCareUncovered, Rule: "R-CAAMI-PERIOD",
		Fr: "Aucune décision de prise en charge en vigueur ne couvre la date de la prestation (date et motif indiqués : pas de décision, décision suspendue, décision de principe). Consultez MediPrima à la date des soins ; sans décision, les soins ne sont pas facturables à la CAAMI.",
		Nl: "Geen geldende beslissing tot tenlasteneming dekt de datum van de verstrekking (vermelde datum en reden: geen beslissing, geschorste beslissing, principebeslissing). Raadpleeg MediPrima op de datum van de zorg; zonder beslissing kan de zorg niet aan de HZIV gefactureerd worden."},
	{Code: CodeUMAMissing, Rule: "R-CAAMI-UMA",
		Fr: "Le bénéficiaire relève de l'aide médicale urgente : la prestation demande une attestation d'aide médicale urgente valable à la date des soins (date indiquée). Faites établir l'attestation par un médecin ou un dentiste, puis renvoyez la ligne dans un nouvel envoi.",
		Nl: "De begunstigde valt onder de dringende medische hulp: de verstrekking vereist een attest van dringende medische hulp dat geldig is op de datum van de zorg (vermelde datum). Laat het attest opmaken door een arts of tandarts en stuur de lijn daarna opnieuw in een nieuwe zending."},
	{Code: CodeCareTypeNoCov, Rule: "R-CAAMI-CARE-TYPE",
		Fr: "La décision qui couvre la date de la prestation ne prend pas en charge ce type de soins à cette date (type de soins, date et décision indiqués). Vérifiez le type de soins de la ligne ou consultez la décision.",
		Nl: "De beslissing die de datum van de verstrekking dekt, neemt dit zorgtype op die datum niet ten laste (vermeld zorgtype, datum en beslissing). Controleer het zorgtype van de lijn of raadpleeg de beslissing."},
	{Code: CodeProviderKind, Rule: "R-CAAMI-CARE-TYPE",
		Fr: "Ce type de soins n'est pas facturé par ce type de prestataire (type de soins et type de prestataire indiqués) : par exemple l'hospitalisation par un établissement de soins, la consultation par un médecin.",
		Nl: "Dit zorgtype wordt niet door dit soort zorgverstrekker gefactureerd (vermeld zorgtype en soort zorgverstrekker): bijvoorbeeld ziekenhuisopname door een verzorgingsinstelling, een raadpleging door een arts."},
	{Code: CodeRefundMismatch, Rule: "R-CAAMI-COVER-CODE",
		Fr: "Le code de remboursement ou les pourcentages de prise en charge par l'État indiqués dans la facture ne sont pas ceux de la version de la décision qui régit la date des soins (valeurs attendues, décision et version indiquées). Corrigez la ligne et renvoyez-la dans un nouvel envoi.",
		Nl: "De terugbetalingscode of de percentages ten laste van de Staat in de factuur zijn niet die van de versie van de beslissing die de datum van de zorg beheerst (vermelde verwachte waarden, beslissing en versie). Verbeter de lijn en stuur ze opnieuw in een nieuwe zending."},
	{Code: CodeNotDesignated, Rule: "R-CAAMI-PROVIDER",
		Fr: "La décision désigne les prestataires pouvant facturer ce type de soins, et vous n'en faites pas partie (type de soins et décision indiqués). Ces soins ne peuvent pas vous être payés par la CAAMI.",
		Nl: "De beslissing wijst de zorgverstrekkers aan die dit zorgtype mogen factureren, en u behoort er niet toe (vermeld zorgtype en beslissing). Deze zorg kan u niet door de HZIV betaald worden."},
	{Code: CodeAgreementForged, Rule: "R-CAAMI-AGREEMENT",
		Fr: "Le numéro d'engagement de paiement de la ligne n'est pas valable : il est mal formé, a été modifié, ou a été émis avec une clé qui n'est plus acceptée. Recopiez le numéro reçu lors de la consultation, ou renvoyez la ligne sans numéro.",
		Nl: "Het nummer van betalingsverbintenis van de lijn is niet geldig: het is misvormd, werd gewijzigd, of werd uitgegeven met een sleutel die niet meer aanvaard wordt. Neem het nummer over dat u bij de raadpleging ontving, of stuur de lijn opnieuw zonder nummer."},
	{Code: CodeAgreementOther, Rule: "R-CAAMI-AGREEMENT",
		Fr: "Le numéro d'engagement de paiement de la ligne a été émis pour un autre prestataire ou pour une décision d'un autre bénéficiaire (motif indiqué). Seul le prestataire qui a consulté peut l'invoquer, pour ce bénéficiaire.",
		Nl: "Het nummer van betalingsverbintenis van de lijn werd uitgegeven voor een andere zorgverstrekker of voor een beslissing van een andere begunstigde (vermelde reden). Enkel de zorgverstrekker die raadpleegde kan het inroepen, voor deze begunstigde."},
	{Code: CodeAgreementWindow, Rule: "R-CAAMI-AGREEMENT",
		Fr: "La date de la prestation est en dehors des 30 jours garantis par le numéro d'engagement de paiement (période garantie indiquée). Pour ces soins, consultez à nouveau MediPrima et facturez sur la décision qui couvre la date des soins.",
		Nl: "De datum van de verstrekking valt buiten de 30 dagen die het nummer van betalingsverbintenis waarborgt (vermelde gewaarborgde periode). Raadpleeg voor deze zorg MediPrima opnieuw en factureer op de beslissing die de datum van de zorg dekt."},
	{Code: CodeCPASSplit, Rule: "R-INVOICE-SPLIT",
		Fr: "Cette prestation est à charge d'un autre CPAS que celui de la facture (CPAS et décision indiqués) : jusqu'au 30e jour après l'engagement de paiement, le CPAS de la décision engagée, ensuite celui dont la décision couvre la date des soins. Scindez la facture et renvoyez la ligne sur une facture à ce CPAS.",
		Nl: "Deze verstrekking is ten laste van een ander OCMW dan dat van de factuur (vermeld OCMW en beslissing): tot de 30e dag na de betalingsverbintenis het OCMW van de verbonden beslissing, daarna het OCMW waarvan de beslissing de datum van de zorg dekt. Splits de factuur en stuur de lijn opnieuw op een factuur aan dat OCMW."},
	{Code: CodeCareTooOld, Rule: "R-INVOICE-2Y",
		Fr: "La prestation date de plus de deux ans avant cet envoi (date la plus ancienne acceptée indiquée) : le délai de facturation est dépassé.",
		Nl: "De verstrekking dateert van meer dan twee jaar vóór deze zending (vermelde oudste aanvaarde datum): de factureringstermijn is verstreken."},
	{Code: CodeLinePaid, Rule: "R-INVOICE-ONCE",
		Fr: "Une ligne portant cette référence a déjà été acceptée et payée (référence indiquée) : elle n'est jamais payée deux fois. Ne renvoyez que les lignes rejetées, corrigées, sous une nouvelle référence ou la même.",
		Nl: "Een lijn met deze referentie werd al aanvaard en betaald (vermelde referentie): ze wordt nooit twee keer betaald. Stuur enkel de verworpen lijnen opnieuw, verbeterd, onder een nieuwe of dezelfde referentie."},
	{Code: CodeLineTwice, Rule: "R-INVOICE-ONCE",
		Fr: "Cette référence de ligne figure plusieurs fois dans l'envoi (référence indiquée) : chaque ligne a sa propre référence. Seule la première a été traitée.",
		Nl: "Deze lijnreferentie komt meermaals voor in de zending (vermelde referentie): elke lijn heeft haar eigen referentie. Enkel de eerste werd behandeld."},
	{Code: CodeGPException, Rule: "R-GP-ROUTE",
		Fr: "L'exception à la facturation électronique invoquée ne s'applique pas (exception et motif indiqués : médecin de moins de 67 ans au 1er janvier 2023 ou date de naissance inconnue, dérogation des centres de planning familial terminée le 15 janvier 2026, prestataire qui n'est pas médecin généraliste).",
		Nl: "De ingeroepen uitzondering op de elektronische facturatie is niet van toepassing (vermelde uitzondering en reden: arts jonger dan 67 jaar op 1 januari 2023 of onbekende geboortedatum, afwijking voor de centra voor gezinsplanning beëindigd op 15 januari 2026, zorgverstrekker die geen huisarts is)."},
	{Code: CodeNIHIIMismatch, Rule: "R-CBE",
		Fr: "Le numéro INAMI (ou BCE) du prestataire indiqué dans la demande ne correspond pas au certificat qui a signé le message. Envoyez la demande avec votre propre numéro.",
		Nl: "Het RIZIV-nummer (of KBO-nummer) van de zorgverstrekker in de aanvraag stemt niet overeen met het certificaat waarmee het bericht ondertekend werd. Verstuur de aanvraag met uw eigen nummer."},
	{Code: CodeMonthOpen, Rule: "R-DECOMPTE",
		Fr: "Ce mois n'est pas encore clôturé : les décomptes d'un mois ne sont établis qu'après son dernier jour (mois et première date de clôture indiqués).",
		Nl: "Deze maand is nog niet afgesloten: de afrekeningen van een maand worden pas na haar laatste dag opgemaakt (vermelde maand en eerste afsluitdatum)."},
}

var catalogueByCode = func() map[string]CodeText {
	m := make(map[string]CodeText, len(catalogue))
	for _, c := range catalogue {
		m[c.Code] = c
	}
	return m
}()

// Catalogue returns every reason code with its rule id and texts, in declaration order
// (for documentation and the server's fault mapping).
func Catalogue() []CodeText { return append([]CodeText(nil), catalogue...) }

// LookupCode returns the catalogue entry of code.
func LookupCode(code string) (CodeText, bool) {
	c, ok := catalogueByCode[code]
	return c, ok
}
