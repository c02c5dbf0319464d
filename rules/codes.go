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
		Fr: "À la date de début, le bénéficiaire est hébergé dans une structure d'accueil de Fedasil : ses frais médicaux sont à charge de Fedasil et le CPAS ne peut pas prendre de décision.",
		Nl: "Op de begindatum verblijft de begunstigde in een opvangstructuur van Fedasil: de medische kosten zijn ten laste van Fedasil en het OCMW kan geen beslissing nemen."},
	{Code: CodeDateMissing, Rule: "R-DATES",
		Fr: "Une date obligatoire manque (champ indiqué). Complétez la date de décision et les dates de début et de fin, puis renvoyez la demande.",
		Nl: "Een verplichte datum ontbreekt (vermeld veld). Vul de beslissingsdatum en de begin- en einddatum aan en verstuur de aanvraag opnieuw."},
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
		Fr: "Une décision arrêtée, annulée ou arrivée à échéance ne peut plus être remise en vigueur ni prolongée. Créez une nouvelle décision pour la nouvelle période.",
		Nl: "Een stopgezette, geannuleerde of vervallen beslissing kan niet opnieuw in werking treden of verlengd worden. Maak een nieuwe beslissing voor de nieuwe periode."},
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
